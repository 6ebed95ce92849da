import type { PrismaClient } from '../generated/prisma/client';
import type { Logger } from '../logger';
import type { EventBus } from './bus';
import { latestEventId, readEvents, type LogEvent } from './log-events';

export type LogListener = (event: LogEvent) => void;

/** Keys a subscription listens on; an event is delivered to every matching key. */
export const keys = {
  request: (requestId: string) => `request:${requestId}`,
  requester: (userId: string) => `requester:${userId}`,
  queue: (userId: string) => `queue:${userId}`,
};

const BATCH = 500;

/**
 * Follows the request event log for one server instance and hands each new
 * event to the subscriptions it concerns. One reader per instance, however
 * many subscribers: the bus says "something new", the tailer reads it once,
 * and dispatch is a map lookup per key, not a scan of all subscribers.
 *
 * It also polls every `pollMs`, so a message the bus lost (Redis restarted,
 * say) delays events by at most that long.
 */
export class LogTailer {
  /** Every event up to this id has been dispatched. */
  position = 0n;

  private readonly listeners = new Map<string, Set<LogListener>>();
  private running: Promise<void> | undefined;
  private again = false;
  private timer: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly bus: EventBus,
    private readonly log: Logger,
    private readonly pollMs = 1_000,
  ) {}

  async start(): Promise<void> {
    this.position = await latestEventId(this.prisma);
    this.unsubscribe = this.bus.subscribe((latest) => {
      if (latest > this.position) {
        this.wake();
      }
    });
    this.timer = setInterval(() => this.wake(), this.pollMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.unsubscribe?.();
    await this.running;
    this.listeners.clear();
  }

  /** Registers `listener` on `eventKeys`; returns the function that removes it. */
  listen(eventKeys: string[], listener: LogListener): () => void {
    for (const key of eventKeys) {
      let set = this.listeners.get(key);
      if (!set) {
        set = new Set();
        this.listeners.set(key, set);
      }
      set.add(listener);
    }

    return () => {
      for (const key of eventKeys) {
        const set = this.listeners.get(key);
        set?.delete(listener);
        if (set?.size === 0) {
          this.listeners.delete(key);
        }
      }
    };
  }

  /** Reads and dispatches what is new; runs are serialized, wakes coalesce. */
  wake(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.catchUp()
      .catch((error: unknown) => {
        this.log.error(
          { err: error },
          'reading the request event log failed; retrying on the next poll',
        );
      })
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.wake();
        }
      });
  }

  private async catchUp(): Promise<void> {
    for (;;) {
      const events = await readEvents(this.prisma, { afterId: this.position, limit: BATCH });
      for (const event of events) {
        this.dispatch(event);
        this.position = event.id;
      }
      if (events.length < BATCH) {
        return;
      }
    }
  }

  private dispatch(event: LogEvent): void {
    const eventKeys = [
      keys.request(event.requestId),
      keys.requester(event.requesterId),
      ...[...event.queueEntered, ...event.queueLeft].map(keys.queue),
    ];
    const delivered = new Set<LogListener>();
    for (const key of eventKeys) {
      for (const listener of this.listeners.get(key) ?? []) {
        if (!delivered.has(listener)) {
          delivered.add(listener);
          try {
            listener(event);
          } catch (error) {
            // One subscriber's failure must not stall the others: the
            // tailer's position moves on either way.
            this.log.warn(
              { err: error, eventId: String(event.id) },
              'a subscriber failed to take an event',
            );
          }
        }
      }
    }
  }
}
