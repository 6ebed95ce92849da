import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { Redis } from 'ioredis';
import { SignJWT } from 'jose';
import pg from 'pg';

import { graphql } from './generated';
import { eventually } from './support/fixtures';
import { TEST_DATABASE_URL, TEST_JWT_SECRET } from './support/server';
import {
  connectSocket,
  freePort,
  hasRedisServer,
  LIVE_QUEUE,
  LIVE_REQUEST,
  startPrivateRedis,
  type EventStream,
  type PrivateRedis,
  type SocketClient,
} from './support/subscriptions';

/*
 * Two real server processes (`node --import tsx src/main.ts`, as deployed)
 * on one PostgreSQL database, with a redis-server of this file's own between
 * them: events made on one instance reach subscribers of the other, survive
 * a Redis restart, and a subscriber of an instance that shuts down resumes
 * on the other without missing anything.
 */

const REDIS_SERVER = hasRedisServer();
const canRun = Boolean(TEST_DATABASE_URL) && REDIS_SERVER;
if (!canRun) {
  process.stderr.write(
    `subscriptions-scale-out: skipped, it needs ${
      TEST_DATABASE_URL ? 'a redis-server binary on PATH' : 'TEST_DATABASE_URL (PostgreSQL)'
    }.\n`,
  );
}
const describeScaleOut = canRun ? describe : describe.skip;

const ADMIN = 'scale-admin@example.com';
const ROOT = path.resolve(__dirname, '..');

const CREATE_USER = graphql(`
  mutation LiveScaleCreateUser($input: CreateUserInput!) {
    createUser(input: $input) {
      __typename
      ... on CreateUserPayload {
        user {
          id
        }
      }
    }
  }
`);

const CREATE_APP = graphql(`
  mutation LiveScaleCreateApp($input: CreateAppIntegrationInput!) {
    createAppIntegration(input: $input) {
      __typename
      ... on CreateAppIntegrationPayload {
        app {
          id
        }
      }
    }
  }
`);

const SET_WORKFLOW = graphql(`
  mutation LiveScaleSetWorkflow($input: SetApprovalWorkflowInput!) {
    setApprovalWorkflow(input: $input) {
      __typename
    }
  }
`);

const REQUEST_APP = graphql(`
  mutation LiveScaleRequestApp($input: RequestAppInput!) {
    requestApp(input: $input) {
      __typename
      ... on RequestAppPayload {
        request {
          id
        }
      }
    }
  }
`);

const APPROVE = graphql(`
  mutation LiveScaleApprove($input: ApproveRequestInput!) {
    approveRequest(input: $input) {
      __typename
    }
  }
`);

async function tokenFor(email: string): Promise<string> {
  return new SignJWT({ email })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(email)
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(new TextEncoder().encode(TEST_JWT_SECRET));
}

/** POSTs one operation to `url`; returns `data` and fails on any GraphQL error. */
async function run<Data, Variables>(
  url: string,
  email: string,
  document: TypedDocumentNode<Data, Variables>,
  variables: Variables,
): Promise<Data> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${await tokenFor(email)}`,
    },
    body: JSON.stringify({ query: print(document), variables }),
  });
  const body = (await response.json()) as { data?: Data; errors?: unknown[] };
  if (body.errors?.length || !body.data) {
    throw new Error(`${response.status}: ${JSON.stringify(body)}`);
  }

  return body.data;
}

/** One `node --import tsx src/main.ts` child process. */
interface ServerProcess {
  name: string;
  url: string;
  origin: string;
  child: ChildProcess;
  /** Resolves with the exit code once the process has exited. */
  exited: Promise<number | null>;
  /** What the process printed, for failure messages. */
  output(): string;
}

async function spawnServer(name: string, env: Record<string, string>): Promise<ServerProcess> {
  const port = await freePort();
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env, PORT: String(port) };
  // Jest's own settings are not the deployed server's.
  delete childEnv.NODE_OPTIONS;
  delete childEnv.NODE_ENV;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  const origin = `http://127.0.0.1:${port}`;

  return { name, url: `${origin}/graphql`, origin, child, exited, output: () => output };
}

/** The HTTP status of GET /ready, or 0 when nothing answers. */
async function readiness(server: ServerProcess): Promise<number> {
  try {
    return (await fetch(`${server.origin}/ready`)).status;
  } catch {
    return 0;
  }
}

/** Polls GET /ready until it answers `status`. */
async function untilReady(server: ServerProcess, status = 200, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await readiness(server)) !== status) {
    if (server.child.exitCode !== null || Date.now() > deadline) {
      throw new Error(
        `${server.name}: /ready did not answer ${status} (exit ${server.child.exitCode}):\n${server.output()}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describeScaleOut('two server processes on one PostgreSQL database, with Redis', () => {
  const databaseName = `self_service_test_${randomBytes(6).toString('hex')}`;
  let dataDir: string | undefined;
  let databaseUrl: string;
  let redis: PrivateRedis;
  let a: ServerProcess;
  let b: ServerProcess;
  let db: pg.Client;
  const apps: string[] = [];
  let approverId: string;
  const sockets: SocketClient[] = [];
  const approver = 'scale-approver@example.com';
  const requester = 'scale-requester@example.com';
  let requesterId: string;

  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${databaseName}`);
    await admin.end();
    const url = new URL(TEST_DATABASE_URL!);
    url.pathname = `/${databaseName}`;
    databaseUrl = url.toString();

    redis = await startPrivateRedis();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'self-service-scale-'));
    const env = {
      HOST: '127.0.0.1',
      DATABASE_URL: databaseUrl,
      REDIS_URL: redis.url,
      AUTH_JWT_SECRET: TEST_JWT_SECRET,
      ADMIN_EMAILS: ADMIN,
      SEED_DEMO: 'false',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
    };
    // Both start at once: the migration lock lets only one migrate.
    [a, b] = await Promise.all([spawnServer('A', env), spawnServer('B', env)]);
    await Promise.all([untilReady(a), untilReady(b)]);
    db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();

    const created = await run(a.url, ADMIN, CREATE_USER, { input: { email: approver } });
    if (created.createUser.__typename !== 'CreateUserPayload') {
      throw new Error(`createUser: ${created.createUser.__typename}`);
    }
    approverId = created.createUser.user.id;
    // One app per request: an approved request assigns its app for good.
    for (let i = 1; i <= 6; i += 1) {
      apps.push(await createApp(`scale-app-${i}`));
    }
  }, 60_000);

  afterAll(async () => {
    await Promise.all(sockets.map((socket) => socket.close()));
    for (const server of [a, b]) {
      if (server && server.child.exitCode === null && server.child.signalCode === null) {
        server.child.kill('SIGKILL');
        await server.exited;
      }
    }
    await redis?.kill();
    await db?.end();
    const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${databaseName} WITH (FORCE)`);
    await admin.end();
    if (dataDir) {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  /** A graphql-ws connection to `server`, signed in as `email`. */
  async function connect(server: ServerProcess, email: string): Promise<SocketClient> {
    const socket = connectSocket(server.url, await tokenFor(email));
    sockets.push(socket);
    return socket;
  }

  /** A requestable app, through A's API, whose one step the approver decides. */
  async function createApp(name: string): Promise<string> {
    const data = await run(a.url, ADMIN, CREATE_APP, {
      input: { name, label: name, requestable: true },
    });
    if (data.createAppIntegration.__typename !== 'CreateAppIntegrationPayload') {
      throw new Error(`createAppIntegration: ${data.createAppIntegration.__typename}`);
    }
    const appId = data.createAppIntegration.app.id;
    const workflow = await run(a.url, ADMIN, SET_WORKFLOW, {
      input: { appId, steps: [{ approverUserId: approverId }] },
    });
    expect(workflow.setApprovalWorkflow.__typename).toBe('SetApprovalWorkflowPayload');

    return appId;
  }

  /** The requester asks for the next app on `server`; returns the request's ID. */
  async function requestNextApp(server: ServerProcess): Promise<string> {
    const data = await run(server.url, requester, REQUEST_APP, { input: { appId: apps.shift()! } });
    if (data.requestApp.__typename !== 'RequestAppPayload') {
      throw new Error(`requestApp: ${data.requestApp.__typename}`);
    }

    return data.requestApp.request.id;
  }

  /** Requests the next app on `server`, and the approver approves it there. */
  async function requestAndApprove(server: ServerProcess): Promise<void> {
    const requestId = await requestNextApp(server);
    const approved = await run(server.url, approver, APPROVE, { input: { requestId } });
    expect(approved.approveRequest.__typename).toBe('ApproveRequestPayload');
  }

  /** How many connections listen on Redis pub/sub channels (one per instance). */
  async function redisSubscribers(): Promise<number> {
    const client = new Redis(redis.url, { maxRetriesPerRequest: 1 });
    try {
      const channels = (await client.pubsub('CHANNELS')) as string[];
      const counts = channels.length
        ? ((await client.pubsub('NUMSUB', ...channels)) as unknown[])
        : [];

      return counts
        .filter((_value, index) => index % 2 === 1)
        .reduce<number>((sum, n) => sum + Number(n), 0);
    } finally {
      client.disconnect();
    }
  }

  /** The requester's events in the log, in order. */
  async function requesterLog(): Promise<string[]> {
    const { rows } = await db.query<{ id: string }>(
      `SELECT e.id::text AS id FROM request_events e
       JOIN app_requests r ON r.id = e.request_id
       WHERE r.requester_id = $1 ORDER BY e.id`,
      [requesterId],
    );

    return rows.map((row) => row.id);
  }

  let mine: EventStream<{ cursor: string; type: string }>;
  let queue: EventStream<{ cursor: string; type: string; event: string }>;

  it('delivers a decision made on A to a subscriber on B within a second or two', async () => {
    // A first request, so that the subscriptions below have something to
    // replay: receiving it shows they are in place before the decision.
    const requestId = await requestNextApp(a);
    const { rows } = await db.query<{ id: string }>(
      `SELECT id::text AS id FROM users WHERE email = $1`,
      [requester],
    );
    requesterId = rows[0]!.id;

    mine = (await connect(b, requester)).subscribe(LIVE_REQUEST, {
      after: '0',
    });
    queue = (await connect(b, approver)).subscribe(LIVE_QUEUE, { after: '0' });
    await mine.waitFor(2);
    await queue.waitFor(1);
    expect(await redisSubscribers()).toBe(2);

    const decidedAt = Date.now();
    await run(a.url, approver, APPROVE, { input: { requestId } });
    await mine.waitFor(5, 2_000);
    await queue.waitFor(2, 2_000);
    const latencyMs = Date.now() - decidedAt;

    expect(mine.events.map((event) => event.type)).toEqual([
      'CREATED',
      'STEP_STARTED',
      'STEP_APPROVED',
      'APPROVED',
      'ASSIGNED',
    ]);
    expect(queue.events.map((event) => `${event.type}/${event.event}`)).toEqual([
      'ENTERED/STEP_STARTED',
      'LEFT/STEP_APPROVED',
    ]);
    expect(latencyMs).toBeLessThan(2_000);
  });

  it('keeps every event, in order, across a Redis restart', async () => {
    await redis.kill();
    // The contract: /ready answers 200 only while the database and Redis do.
    await Promise.all([untilReady(a, 503, 10_000), untilReady(b, 503, 10_000)]);

    // Decisions while Redis is down reach B by its log tailer's polling.
    await requestAndApprove(a);
    await mine.waitFor(10, 5_000);

    await redis.start();
    await Promise.all([untilReady(a), untilReady(b)]);
    // Both instances subscribe again by themselves, so events go back to
    // travelling through Redis instead of waiting for the next poll.
    expect(await eventually(async () => (await redisSubscribers()) === 2, 5_000)).toBe(true);
    await requestAndApprove(a);
    await mine.waitFor(15, 5_000);

    expect(mine.events.map((event) => event.cursor)).toEqual(await requesterLog());
    expect(queue.events.map((event) => `${event.type}/${event.event}`)).toEqual([
      'ENTERED/STEP_STARTED',
      'LEFT/STEP_APPROVED',
      'ENTERED/STEP_STARTED',
      'LEFT/STEP_APPROVED',
      'ENTERED/STEP_STARTED',
      'LEFT/STEP_APPROVED',
    ]);
  });

  it('closes sockets with 1001 on SIGTERM, exits 0, and the client resumes on A', async () => {
    const socket = sockets[0]!;
    b.child.kill('SIGTERM');

    expect(await socket.closed).toMatchObject({ code: 1001 });
    expect(await b.exited).toBe(0);

    // Missed while away, then live on A.
    await requestAndApprove(a);
    const resumed = (await connect(a, requester)).subscribe(LIVE_REQUEST, {
      after: mine.events.at(-1)!.cursor,
    });
    await resumed.waitFor(5);
    await requestAndApprove(a);
    await resumed.waitFor(10);

    const received = [...mine.events, ...resumed.events].map((event) => event.cursor);
    expect(received).toEqual(await requesterLog());
  });
});
