import { Repeater } from 'graphql-yoga';

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

    const deliver = (event: LogEvent): void => {
      if (lastId !== undefined && event.id <= lastId) {
        return;
      }
      lastId = event.id;
      const value = options.select(event);
      if (value !== null) {
        void push(value);
      }
    };

    const unlisten = options.tailer.listen(options.keys, (event) => {
      if (replaying) {
        held.push(event);
      } else {
        deliver(event);
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
          events.forEach(deliver);
          if (events.length < REPLAY_BATCH) {
            break;
          }
        }
      }

      replaying = false;
      held.splice(0).forEach(deliver);
      await stop;
    } finally {
      unlisten();
    }
  });
}

/** Parses a subscription cursor; throws on anything but a non-negative integer. */
export function parseCursor(value: string | null | undefined): bigint | undefined {
  if (value === null || value === undefined || value === '') {
    return undefined;
  }
  if (!/^\d{1,19}$/.test(value)) {
    throw new RangeError(`"${value}" is not an event cursor`);
  }

  return BigInt(value);
}
