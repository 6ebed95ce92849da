import { randomBytes } from 'node:crypto';

import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import pg from 'pg';

import { loadConfig, type Config } from '../../src/config';
import { createLogger } from '../../src/logger';
import { createServer, type SelfServiceServer } from '../../src/server';

/** The databases a suite runs against: PGlite always, PostgreSQL when reachable. */
export type DatabaseKind = 'pglite' | 'postgres';

/**
 * TEST_DATABASE_URL names a PostgreSQL server where the tests may create and
 * drop databases of their own (.ci/run sets it). Without it, suites run on
 * PGlite only, and say so once.
 */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL;

export const DATABASE_KINDS: DatabaseKind[] = TEST_DATABASE_URL
  ? ['pglite', 'postgres']
  : ['pglite'];

if (!TEST_DATABASE_URL) {
  process.stderr.write(
    'TEST_DATABASE_URL is not set: the PostgreSQL variants of the suites are skipped; PGlite only.\n',
  );
}

export const TEST_JWT_SECRET = 'test-secret-that-is-long-enough-for-hs256-0123456789';

/** Creates an empty database on the test server; returns its URL and a dropper. */
async function createScratchDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const admin = new URL(TEST_DATABASE_URL!);
  const name = `self_service_test_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();

  const url = new URL(admin.toString());
  url.pathname = `/${name}`;

  return {
    url: url.toString(),
    async drop() {
      const dropper = new pg.Client({ connectionString: admin.toString() });
      await dropper.connect();
      await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await dropper.end();
    },
  };
}

export interface TestServer {
  kind: DatabaseKind;
  url: string;
  server: SelfServiceServer;
  config: Config;
  /** A bearer token for `email` (and display `name`). */
  token(email: string, name?: string): Promise<string>;
  /** POSTs one operation as JSON; returns the HTTP status and parsed body. */
  request<Data = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    options?: { token?: string | null; headers?: Record<string, string> },
  ): Promise<{ status: number; body: { data?: Data; errors?: GraphQLErrorBody[] } }>;
  /** Stops the server but keeps its database (restart tests). */
  stopServer(): Promise<void>;
  /** Stops the server and drops its scratch database. */
  stop(): Promise<void>;
}

export interface GraphQLErrorBody {
  message: string;
  extensions?: { code?: string; field?: string };
  path?: (string | number)[];
}

export interface StartOptions {
  env?: Record<string, string>;
  /** Reuse this PostgreSQL database instead of a new one (multi-instance tests). */
  databaseUrl?: string;
}

/**
 * Starts a real server on a free port, as `npm start` would, on an in-memory
 * PGlite or on a scratch PostgreSQL database, without demo data unless asked.
 */
export async function startTestServer(
  kind: DatabaseKind,
  options: StartOptions = {},
): Promise<TestServer> {
  const scratch =
    kind === 'postgres' && !options.databaseUrl ? await createScratchDatabase() : undefined;
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: `/tmp/self-service-test-${process.pid}`,
    AUTH_JWT_SECRET: TEST_JWT_SECRET,
    ADMIN_EMAILS: 'admin@example.com',
    SEED_DEMO: 'false',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    ...(kind === 'postgres' && { DATABASE_URL: options.databaseUrl ?? scratch!.url }),
    ...options.env,
  });
  const log = createLogger(config);
  const server = await createServer({ config, log, inMemoryDatabase: kind === 'pglite' });
  const url = await server.start();
  let stopped = false;
  const stopServer = async () => {
    if (!stopped) {
      stopped = true;
      await server.stop(100);
    }
  };

  return {
    kind,
    url,
    server,
    config,
    token: (email, name) => server.verifier.sign!({ email, name }),
    async request(query, variables, requestOptions = {}) {
      const headers: Record<string, string> = {
        'content-type': 'application/json',
        ...requestOptions.headers,
      };
      if (requestOptions.token) {
        headers.authorization = `Bearer ${requestOptions.token}`;
      }
      const response = await fetch(url, {
        method: 'POST',
        headers,
        body: JSON.stringify({ query, variables }),
      });
      const text = await response.text();
      let body;
      try {
        body = JSON.parse(text);
      } catch {
        throw new Error(`non-JSON response (${response.status}): ${text.slice(0, 500)}`);
      }

      return { status: response.status, body };
    },
    stopServer,
    async stop() {
      await stopServer();
      await scratch?.drop();
    },
  };
}

/** A typed document from test/generated (codegen's client preset), or plain text. */
export type Operation<Data, Variables> = TypedDocumentNode<Data, Variables> | string;

function toText(operation: Operation<unknown, unknown>): string {
  return typeof operation === 'string' ? operation : print(operation);
}

/**
 * A client bound to one user's token: `client.run(document, variables)`
 * returns `data`, typed by the document, and fails the test on any
 * top-level GraphQL error.
 */
export function clientFor(server: TestServer, token: string | null) {
  return {
    token,
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- plain-text operations are untyped
    async run<Data = any, Variables = Record<string, unknown>>(
      operation: Operation<Data, Variables>,
      variables?: Variables,
    ): Promise<Data> {
      const { body } = await server.request<Data>(
        toText(operation as Operation<unknown, unknown>),
        variables as Record<string, unknown>,
        { token },
      );
      if (body.errors?.length) {
        throw new Error(`GraphQL errors: ${JSON.stringify(body.errors)}`);
      }
      return body.data as Data;
    },
    raw<Data = Record<string, unknown>, Variables = Record<string, unknown>>(
      operation: Operation<Data, Variables>,
      variables?: Variables,
    ) {
      return server.request<Data>(
        toText(operation as Operation<unknown, unknown>),
        variables as Record<string, unknown>,
        { token },
      );
    },
  };
}

export const ADMIN_EMAIL = 'admin@example.com';
