import { Redis } from 'ioredis';

import type { Logger } from '../logger';
import type { EventBus, EventListener } from './bus';

const CHANNEL = 'self-service:request-events';

/** How long the readiness check waits for Redis to answer PING. */
const PING_TIMEOUT_MS = 1_000;

/**
 * The bus shared by every instance through Redis pub/sub. It carries only the
 * latest committed event id; each instance then reads the events from the
 * log. Redis may drop a message or restart: the log tailer also polls, so a
 * lost message delays delivery by at most one poll interval, and loses
 * nothing. ioredis reconnects and re-subscribes by itself.
 */
export function createRedisEventBus(url: string, log: Logger): EventBus {
  const publisher = new Redis(url, { maxRetriesPerRequest: 1, lazyConnect: false });
  const subscriber = new Redis(url, { maxRetriesPerRequest: null });
  const listeners = new Set<EventListener>();

  for (const [role, client] of [
    ['publisher', publisher],
    ['subscriber', subscriber],
  ] as const) {
    // ioredis retries on its own; say so once per failure instead of throwing.
    client.on('error', (error: Error) =>
      log.warn(
        { err: error.message, role },
        'Redis is unreachable; live events fall back to polling',
      ),
    );
  }

  void subscriber.subscribe(CHANNEL).catch((error: unknown) => {
    log.warn(
      { err: String(error) },
      'could not subscribe to Redis; live events fall back to polling',
    );
  });
  subscriber.on('message', (_channel: string, message: string) => {
    let id: bigint;
    try {
      id = BigInt(message);
    } catch {
      log.warn(
        { message: message.slice(0, 100) },
        'ignored a malformed message on the Redis event channel',
      );
      return;
    }
    for (const listener of listeners) {
      listener(id);
    }
  });

  return {
    publish(latestEventId) {
      // Local listeners hear it at once; other instances through Redis.
      for (const listener of listeners) {
        listener(latestEventId);
      }
      publisher.publish(CHANNEL, latestEventId.toString()).catch(() => {
        // Already reported by the error handler; the pollers cover the loss.
      });
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async ping() {
      if (publisher.status !== 'ready' || subscriber.status !== 'ready') {
        return false;
      }
      // Connected is not enough: a server that stopped answering fails too.
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => reject(new Error('Redis PING timed out')), PING_TIMEOUT_MS);
      });
      try {
        return (await Promise.race([publisher.ping(), timeout])) === 'PONG';
      } catch {
        return false;
      } finally {
        clearTimeout(timer);
      }
    },
    async close() {
      listeners.clear();
      subscriber.disconnect();
      publisher.disconnect();
    },
  };
}
