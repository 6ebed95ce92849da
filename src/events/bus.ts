import { EventEmitter } from 'node:events';

export type EventListener = (latestEventId: bigint) => void;

/**
 * Carries only the news that request events up to some id were committed.
 * Readers fetch the events themselves from the durable log, so a lost
 * message delays a reader until the next one but never loses an event.
 */
export interface EventBus {
  publish(latestEventId: bigint): void;
  subscribe(listener: EventListener): () => void;
  /** Whether the bus can carry messages now; GET /ready reports it. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

/** The bus of a single instance. */
export function createLocalEventBus(): EventBus {
  const emitter = new EventEmitter();
  // One listener per open subscription: thousands are expected.
  emitter.setMaxListeners(0);

  return {
    publish(latestEventId) {
      emitter.emit('event', latestEventId);
    },
    subscribe(listener) {
      emitter.on('event', listener);
      return () => emitter.off('event', listener);
    },
    async ping() {
      return true;
    },
    async close() {
      emitter.removeAllListeners();
    },
  };
}
