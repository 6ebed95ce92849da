import { createGraphQLError, Repeater } from 'graphql-yoga';

import type { Prisma, PrismaClient } from '../generated/prisma/client';
import { readEvents, type LogEvent } from './log-events';
import type { LogTailer } from './log-tailer';

export interface FollowOptions<T> {
  prisma: PrismaClient;
  tailer: LogTailer;
  /** Tailer keys to listen on for live events. */
  keys: string[];
  /** The same selection as a database filter, for the replay. */
  where: Prisma.RequestEventWhereInput;
  /** Replay everything after this event id first; undefined starts live. */
  after: bigint | undefined;
  /** Turns an event into what the subscriber receives, or null to skip it. */
  select(event: LogEvent): T | null;
}

const REPLAY_BATCH = 500;

/** Live events that may wait for a slow client before it is ended. */
const MAX_WAITING = 500;

/**
 * A subscription's stream: first every matching event after the cursor from
 * the durable log, then live events from the tailer, with no gap and no
 * duplicate. It starts listening before it replays and holds live events
 * back until the replay is done; events the replay already delivered are
 * recognised by id and skipped.
 */
export function followEvents<T>(options: FollowOptions<T>): AsyncIterable<T> {
  return new Repeater<T>(async (push, stop) => {
    let lastId = options.after;
    let replaying = true;
    const held: LogEvent[] = [];

    /** Pushes the event unless it was delivered already; resolves once it is taken. */
    const deliver = (event: LogEvent): Promise<unknown> | undefined => {
      if (lastId !== undefined && event.id <= lastId) {
        return undefined;
      }
      lastId = event.id;
      const value = options.select(event);

      return value === null ? undefined : push(value);
    };

    // Live events the client has not taken yet. A client that stops reading
    // (a stalled SSE stream, say) is ended once too many wait, instead of
    // holding them in memory without bound; it resumes with its cursor.
    let waiting = 0;
    const offer = (event: LogEvent): void => {
      const taken = deliver(event);
      if (!taken) {
        return;
      }
      waiting += 1;
      void taken.finally(() => (waiting -= 1));
      if (waiting > MAX_WAITING) {
        unlisten();
        void stop(
          createGraphQLError(
            `this subscription fell more than ${MAX_WAITING} events behind; ` +
              'subscribe again with the last cursor you received',
            { extensions: { code: 'SUBSCRIBER_TOO_SLOW' } },
          ),
        );
      }
    };

    const unlisten = options.tailer.listen(options.keys, (event) => {
      if (replaying) {
        held.push(event);
      } else {
        offer(event);
      }
    });

    try {
      if (options.after !== undefined) {
        for (;;) {
          const events = await readEvents(options.prisma, {
            afterId: lastId ?? 0n,
            where: options.where,
            limit: REPLAY_BATCH,
          });
          const taken = Promise.all(events.map(deliver));
          if (events.length < REPLAY_BATCH) {
            break;
          }
          // A repeater throws once 1,024 pushed values wait to be taken, so
          // a client far behind gets the next batch only when it has taken
          // this one (or gone: stopping resolves every pending push).
          await taken;
        }
      }

      replaying = false;
      held.splice(0).forEach(offer);
      await stop;
    } finally {
      unlisten();
    }
  });
}

/** The largest event id: the log's ids are PostgreSQL bigints. */
const MAX_CURSOR = 9_223_372_036_854_775_807n;

/** Parses a subscription cursor; throws on anything but a non-negative 64-bit integer. */
export function parseCursor(value: string | null | undefined): bigint | undefined {
  if (value === null || value === undefined || value === '') {
    return undefined;
  }
  if (!/^\d{1,19}$/.test(value) || BigInt(value) > MAX_CURSOR) {
    throw new RangeError(`"${value}" is not an event cursor`);
  }

  return BigInt(value);
}
