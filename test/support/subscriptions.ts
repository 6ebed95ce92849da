import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import net from 'node:net';

import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

import { latestEventId } from '../../src/events/log-events';
import { graphql } from '../generated';
import { gid, makeUser } from './fixtures';
import { APPROVE, REQUEST_APP } from './requests';
import { clientFor, type GraphQLErrorBody, type TestServer } from './server';

/*
 * Live-update clients for tests: graphql-ws and GraphQL over SSE, each
 * collecting what the server sends into an EventStream that a test can wait
 * on; a private redis-server for the scale-out tests; and the people and
 * actions of live-update scenarios.
 */

export const LIVE_REQUEST = graphql(`
  subscription LiveRequestUpdated($requestId: ID, $after: String) {
    appRequestUpdated(requestId: $requestId, after: $after) {
      cursor
      type
      request {
        id
        status
        requester {
          email
        }
      }
    }
  }
`);

export const LIVE_QUEUE = graphql(`
  subscription LiveQueueChanged($after: String) {
    approvalQueueChanged(after: $after) {
      cursor
      type
      event
      request {
        id
        status
      }
    }
  }
`);

/** How a stream ended: the server completed it, or the connection closed. */
export type StreamEnd =
  | { kind: 'complete' }
  | { kind: 'closed'; code: number; reason: string }
  | { kind: 'failed'; error: unknown };

/** The one root field a subscription document selects. */
type FieldOf<Data> = Data[keyof Data];

/**
 * Everything one subscription received: its events in arrival order, the
 * GraphQL errors the server sent, and how it ended. `waitFor` resolves as
 * soon as the events satisfy a condition and fails early, naming what did
 * arrive, when the stream ends or the time runs out first.
 */
export class EventStream<T> {
  readonly events: T[] = [];
  readonly errors: GraphQLErrorBody[] = [];
  end: StreamEnd | undefined;
  /** The HTTP status of an SSE response. */
  status: number | undefined;

  private readonly waiters = new Set<() => void>();

  receive(event: T): void {
    this.events.push(event);
    this.notify();
  }

  fail(errors: GraphQLErrorBody[]): void {
    this.errors.push(...errors);
    this.notify();
  }

  finish(end: StreamEnd): void {
    this.end ??= end;
    this.notify();
  }

  /** Waits for `expected` events in all, or until `expected(events)` holds. */
  waitFor(expected: number | ((events: T[]) => boolean), timeoutMs = 5_000): Promise<T[]> {
    const holds =
      typeof expected === 'number'
        ? () => this.events.length >= expected
        : () => expected(this.events);

    // The copy is taken the moment the condition holds: events that arrive
    // later in the same tick must not slip into it.
    let snapshot: T[] = [];
    const held = (): boolean => {
      if (!holds()) {
        return false;
      }
      snapshot = [...this.events];
      return true;
    };

    return this.until(held, timeoutMs, 'the events awaited').then(() => snapshot);
  }

  /** Waits for the stream to end, and says how it ended. */
  async ended(timeoutMs = 5_000): Promise<StreamEnd> {
    await this.until(() => this.end !== undefined, timeoutMs, 'the end of the stream');

    return this.end!;
  }

  private notify(): void {
    for (const waiter of [...this.waiters]) {
      waiter();
    }
  }

  /** Resolves once `holds()`; rejects on time-out, or if the stream ends first. */
  private until(holds: () => boolean, timeoutMs: number, what: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (holds()) {
          done();
          resolve();
        } else if (this.end !== undefined) {
          done();
          reject(new Error(`the stream ended (${describeEnd(this.end)}); ${this.summary()}`));
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`${what} did not come within ${timeoutMs} ms; ${this.summary()}`));
      }, timeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
      check();
    });
  }

  private summary(): string {
    // Long streams show their first and last few events only.
    const shown =
      this.events.length > 12
        ? [
            ...this.events.slice(0, 6).map(describeEvent),
            '...',
            ...this.events.slice(-6).map(describeEvent),
          ]
        : this.events.map(describeEvent);
    const events = `${this.events.length} (${shown.join(', ')})`;
    const errors = this.errors.length ? `; errors: ${JSON.stringify(this.errors)}` : '';

    return `events so far: ${events}${errors}`;
  }
}

function describeEnd(end: StreamEnd): string {
  switch (end.kind) {
    case 'complete':
      return 'completed';
    case 'closed':
      return `closed ${end.code} ${end.reason}`;
    case 'failed':
      return `failed: ${String(end.error)}`;
  }
}

function describeEvent(event: unknown): string {
  const { cursor, type, event: cause } = (event ?? {}) as Record<string, unknown>;

  return `${String(cursor)}:${String(type)}${cause ? `/${String(cause)}` : ''}`;
}

/** Feeds one GraphQL result (`data` or `errors`) into a stream. */
function deliver<T>(stream: EventStream<T>, result: { data?: unknown; errors?: unknown }): void {
  if (Array.isArray(result.errors) && result.errors.length) {
    stream.fail(result.errors as GraphQLErrorBody[]);
  }
  if (result.data) {
    const values = Object.values(result.data as Record<string, T>);
    if (values[0] !== undefined && values[0] !== null) {
      stream.receive(values[0]);
    }
  }
}

export type Transport = 'graphql-ws' | 'sse';

export const TRANSPORTS: Transport[] = ['graphql-ws', 'sse'];

/** One user's live connection(s) to a server. */
export interface LiveClient {
  subscribe<Data, Variables>(
    document: TypedDocumentNode<Data, Variables>,
    variables?: Variables,
  ): EventStream<FieldOf<Data>>;
  /** Stops every subscription and closes the connection. */
  close(): Promise<void>;
}

export interface SocketClient extends LiveClient {
  /** Resolves with the close event once the socket has closed. */
  closed: Promise<{ code: number; reason: string }>;
  /** Sends a raw `subscribe` whose query is `query` (for oversized messages). */
  subscribeText(query: string): EventStream<unknown>;
}

/**
 * A graphql-ws client, as a browser would open one: the token travels in
 * `connection_init`, and it never retries, so that a close is seen as it is.
 */
export function connectSocket(
  url: string,
  token: string | null,
  connectionParams?: Record<string, unknown>,
): SocketClient {
  let onClosed: (event: { code: number; reason: string }) => void = () => undefined;
  const closed = new Promise<{ code: number; reason: string }>((resolve) => (onClosed = resolve));
  const client: Client = createClient({
    url: url.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: connectionParams ?? (token ? { authorization: `Bearer ${token}` } : {}),
    retryAttempts: 0,
    on: {
      closed: (event) => {
        const { code, reason } = event as { code: number; reason: string };
        onClosed({ code, reason: String(reason) });
      },
    },
  });
  const unsubscribers: (() => void)[] = [];

  const open = <T>(query: string, variables: unknown): EventStream<T> => {
    const stream = new EventStream<T>();
    unsubscribers.push(
      client.subscribe(
        { query, variables: (variables ?? {}) as Record<string, unknown> },
        {
          next: (result) => deliver(stream, result),
          error: (error) => {
            // graphql-ws reports refused operations as an array of errors
            // and a lost connection as the socket's close event.
            if (Array.isArray(error)) {
              stream.fail(error as GraphQLErrorBody[]);
              stream.finish({ kind: 'complete' });
            } else if (error && typeof error === 'object' && 'code' in error) {
              const { code, reason } = error as { code: number; reason: string };
              stream.finish({ kind: 'closed', code, reason: String(reason) });
            } else {
              stream.finish({ kind: 'failed', error });
            }
          },
          complete: () => stream.finish({ kind: 'complete' }),
        },
      ),
    );

    return stream;
  };

  return {
    closed,
    subscribe: (document, variables) => open(print(document), variables),
    subscribeText: (query) => open(query, {}),
    async close() {
      unsubscribers.forEach((unsubscribe) => unsubscribe());
      await client.dispose();
    },
  };
}

/** Splits an SSE body into `event:`/`data:` frames; keeps what is incomplete. */
function parseFrames(buffer: string): { frames: { event: string; data: string }[]; rest: string } {
  const parts = buffer.split(/\r?\n\r?\n/);
  const rest = parts.pop() ?? '';
  const frames = parts.flatMap((part) => {
    let event = 'message';
    const data: string[] = [];
    for (const line of part.split(/\r?\n/)) {
      // Lines starting with ":" are comments (Yoga's keep-alive pings).
      if (line.startsWith('event:')) {
        event = line.slice('event:'.length).trim();
      } else if (line.startsWith('data:')) {
        data.push(line.slice('data:'.length).replace(/^ /, ''));
      }
    }
    return data.length || event !== 'message' ? [{ event, data: data.join('\n') }] : [];
  });

  return { frames, rest };
}

/**
 * GraphQL over SSE as Yoga serves it: a JSON POST to /graphql with
 * `accept: text/event-stream`, answered by `event: next` frames carrying
 * results and a final `event: complete`. Each subscription is one request.
 */
export function connectSse(url: string, token: string | null): LiveClient {
  const controllers: AbortController[] = [];
  const reading: Promise<void>[] = [];

  const open = <T>(query: string, variables: unknown): EventStream<T> => {
    const stream = new EventStream<T>();
    const controller = new AbortController();
    controllers.push(controller);
    const headers: Record<string, string> = {
      accept: 'text/event-stream',
      'content-type': 'application/json',
    };
    if (token) {
      headers.authorization = `Bearer ${token}`;
    }

    const read = async (): Promise<void> => {
      const response = await fetch(url, {
        method: 'POST',
        headers,
        body: JSON.stringify({ query, variables }),
        signal: controller.signal,
      });
      stream.status = response.status;
      if (!response.headers.get('content-type')?.includes('text/event-stream')) {
        deliver(stream, (await response.json()) as { errors?: unknown });
        stream.finish({ kind: 'complete' });
        return;
      }

      const decoder = new TextDecoder();
      let buffer = '';
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        const parsed = parseFrames(buffer + decoder.decode(chunk, { stream: true }));
        buffer = parsed.rest;
        for (const frame of parsed.frames) {
          if (frame.event === 'next') {
            deliver(stream, JSON.parse(frame.data) as { data?: unknown; errors?: unknown });
          } else if (frame.event === 'complete') {
            // Stop reading here: aborting a body that was read to its end
            // but not yet seen to end can leave undici's reader pending.
            stream.finish({ kind: 'complete' });
            return;
          }
        }
      }
      stream.finish({ kind: 'closed', code: 0, reason: 'the server ended the response' });
    };
    reading.push(
      read().catch((error: unknown) =>
        stream.finish(
          controller.signal.aborted
            ? { kind: 'closed', code: 0, reason: 'aborted by the client' }
            : { kind: 'failed', error },
        ),
      ),
    );

    return stream;
  };

  return {
    subscribe: (document, variables) => open(print(document), variables),
    async close() {
      controllers.forEach((controller) => controller.abort());
      await Promise.all(reading);
    },
  };
}

/** A live client over the given transport. */
export function connectLive(transport: Transport, url: string, token: string | null): LiveClient {
  return transport === 'sse' ? connectSse(url, token) : connectSocket(url, token);
}

/** A TCP port nobody listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Whether a `redis-server` binary can be run here. */
export function hasRedisServer(): boolean {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
}

/** Whether something on `port` answers a Redis PING with +PONG. */
async function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.setTimeout(500);
    socket.once('data', (data) => {
      socket.destroy();
      resolve(data.toString().startsWith('+PONG'));
    });
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

export interface PrivateRedis {
  port: number;
  url: string;
  /** Kills the server abruptly (SIGKILL), as a crash would. */
  kill(): Promise<void>;
  /** Starts it again on the same port, empty. */
  start(): Promise<void>;
}

/**
 * A redis-server of this test file's own on a free port, without
 * persistence, so that a test can kill and restart it at will.
 */
export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  let child: ChildProcess | undefined;

  const start = async (): Promise<void> => {
    const args = [
      '--port',
      String(port),
      '--save',
      '',
      '--appendonly',
      'no',
      '--bind',
      '127.0.0.1',
    ];
    child = spawn('redis-server', args, { stdio: 'ignore' });
    const deadline = Date.now() + 10_000;
    while (!(await answersPing(port))) {
      if (Date.now() > deadline || child.exitCode !== null) {
        throw new Error(`redis-server on port ${port} did not start`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  const kill = async (): Promise<void> => {
    const running = child;
    child = undefined;
    if (running && running.exitCode === null && running.signalCode === null) {
      const exited = new Promise((resolve) => running.once('exit', resolve));
      running.kill('SIGKILL');
      await exited;
    }
  };

  await start();

  return { port, url: `redis://127.0.0.1:${port}`, kill, start };
}

let actorCounter = 0;

/** A user of a scenario: who they are and the token they sign in with. */
export interface Actor {
  id: string;
  email: string;
  token: string;
}

/**
 * People and the everyday actions of live-update scenarios on one test
 * server: users made through Prisma, requests and decisions through the API.
 */
export function scenarioOn(server: TestServer) {
  const prisma = server.server.db.prisma;

  /** A new user, named after their role, with a token. */
  async function person(role: string): Promise<Actor> {
    actorCounter += 1;
    const user = await makeUser(prisma, `${role}-${actorCounter}@example.com`);

    return { id: user.id, email: user.email, token: await server.token(user.email) };
  }

  return {
    person,

    /** One new user per role, in the order asked. */
    async people<const Roles extends readonly string[]>(
      ...roles: Roles
    ): Promise<{ [K in keyof Roles]: Actor }> {
      return (await Promise.all(roles.map(person))) as { [K in keyof Roles]: Actor };
    },

    /** Requests the app as `requester`; returns the request's global ID. */
    async requestApp(requester: Actor, appId: string): Promise<string> {
      const data = await clientFor(server, requester.token).run(REQUEST_APP, {
        input: { appId: gid('AppIntegration', appId) },
      });
      if (data.requestApp.__typename !== 'RequestAppPayload') {
        throw new Error(`requestApp refused: ${JSON.stringify(data.requestApp)}`);
      }

      return data.requestApp.request.id;
    },

    async approve(approver: Actor, requestId: string): Promise<void> {
      const data = await clientFor(server, approver.token).run(APPROVE, { input: { requestId } });
      if (data.approveRequest.__typename !== 'ApproveRequestPayload') {
        throw new Error(`approveRequest refused: ${JSON.stringify(data.approveRequest)}`);
      }
    },

    /** The newest event's cursor: a subscription after it misses nothing later. */
    async fence(): Promise<string> {
      return (await latestEventId(prisma)).toString();
    },
  };
}
