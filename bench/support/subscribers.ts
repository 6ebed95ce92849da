import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

import { wallClock } from './clock';

/** One event as one subscriber received it. */
export interface Receipt {
  /** Index of the receiving member. */
  member: number;
  /** The event's cursor: its id in the request event log. */
  cursor: string;
  type: 'ENTERED' | 'LEFT';
  /** Wall-clock ms when the client handed the message over. */
  at: number;
}

interface QueueMessage {
  approvalQueueChanged?: { cursor: string; type: 'ENTERED' | 'LEFT' };
}

// The smallest useful selection: no field here reads the database.
const SUBSCRIPTION = 'subscription BenchQueue { approvalQueueChanged { cursor type } }';

/**
 * Many graphql-ws clients in this process, one per member, each
 * authenticated with its own token in connection_init and subscribed to its
 * approval queue. Clients never retry, so a socket the server drops shows up
 * in `dropped` instead of being hidden by a reconnect.
 */
export class SubscriberFleet {
  readonly receipts: Receipt[] = [];
  /** Members whose connection_init was acknowledged. */
  readonly connected = new Set<number>();
  /** Milliseconds from opening a socket to connection_ack, per connection. */
  readonly handshakeMs: number[] = [];
  /** Why connections failed or subscriptions ended, by reason. */
  readonly failures = new Map<string, number>();
  dropped = 0;
  private readonly clients: Client[] = [];
  private disposing = false;

  constructor(private readonly wsUrl: string) {}

  private fail(reason: string): void {
    this.failures.set(reason, (this.failures.get(reason) ?? 0) + 1);
  }

  /** Opens one connection and subscribes; resolves false if it was refused. */
  private open(member: number, token: string): Promise<boolean> {
    const opened = wallClock();

    return new Promise((resolve) => {
      let acked = false;
      const client = createClient({
        url: this.wsUrl,
        webSocketImpl: WebSocket,
        lazy: false,
        retryAttempts: 0,
        connectionParams: { authorization: `Bearer ${token}` },
        onNonLazyError: (error) => {
          if (!acked) {
            this.fail(describeClose(error));
            resolve(false);
          }
        },
        on: {
          connected: () => {
            acked = true;
            this.connected.add(member);
            this.handshakeMs.push(wallClock() - opened);
            resolve(true);
          },
          closed: (event) => {
            if (acked && !this.disposing) {
              this.dropped += 1;
              this.fail(`dropped: ${describeClose(event)}`);
            }
          },
        },
      });
      this.clients.push(client);

      client.subscribe<QueueMessage>(
        { query: SUBSCRIPTION },
        {
          next: (result) => {
            const change = result.data?.approvalQueueChanged;
            if (!change) {
              this.fail(`error result: ${JSON.stringify(result.errors ?? result)}`);
              return;
            }
            this.receipts.push({
              member,
              cursor: change.cursor,
              type: change.type,
              at: wallClock(),
            });
          },
          error: (error) => {
            if (acked && !this.disposing) {
              this.fail(`subscription error: ${describeClose(error)}`);
            }
          },
          complete: () => undefined,
        },
      );
    });
  }

  /**
   * Connects `members` in batches of `batchSize`, each batch waiting for the
   * previous one to be acknowledged, so the server sees a steady stream
   * rather than every handshake at once.
   */
  async connect(
    members: { index: number; token: string }[],
    batchSize: number,
    onBatch?: (done: number) => void,
  ): Promise<void> {
    for (let start = 0; start < members.length; start += batchSize) {
      const batch = members.slice(start, start + batchSize);
      await Promise.all(batch.map(({ index, token }) => this.open(index, token)));
      onBatch?.(start + batch.length);
    }
  }

  /** Closes every socket (1000) and waits briefly for the closes to go out. */
  async dispose(): Promise<void> {
    this.disposing = true;
    await Promise.all(this.clients.map((client) => client.dispose()));
    this.clients.length = 0;
  }
}

/** A close event's code and reason, or an error's message. */
function describeClose(value: unknown): string {
  if (value instanceof Error) {
    return value.message;
  }
  const event = value as { code?: number; reason?: string } | null;
  if (event && typeof event.code === 'number') {
    return `close ${event.code}${event.reason ? ` ${event.reason}` : ''}`;
  }

  return String(value);
}
