import fs from 'node:fs';
import path from 'node:path';

import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';

import { PrismaClient } from '../generated/prisma/client';
import type { Logger } from '../logger';
import { applyMigrations, type SqlSession } from './migrate';

export type { PrismaClient };

/** Counts the SQL statements Prisma sends; tests use it to catch N+1 queries. */
export interface QueryCounter {
  count: number;
}

export interface Database {
  prisma: PrismaClient;
  kind: 'pglite' | 'postgres';
  /** Where the data lives, safe to log (no password). */
  location: string;
  migrationsApplied: string[];
  queries: QueryCounter;
  /**
   * A client for the request event log's reader, on a connection of its own
   * where there are several (PostgreSQL): subscribers keep getting events
   * while writers hold every connection of the main pool. On PGlite, the
   * main client.
   */
  logReader: PrismaClient;
  /** A plain-SQL session for work Prisma cannot express (row locks, LISTEN). */
  session: SqlSession;
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  databaseUrl: string | undefined;
  dataDir: string;
  /** Run PGlite in memory instead of under dataDir (tests). */
  inMemory?: boolean;
  log: Logger;
}

function withQueryCounter(prisma: PrismaClient, counter: QueryCounter): void {
  prisma.$on('query' as never, () => {
    counter.count += 1;
  });
}

function redactUrl(raw: string): string {
  const url = new URL(raw);
  if (url.password) {
    url.password = '***';
  }

  return url.toString();
}

async function openPostgres(url: string, options: DatabaseOptions): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  pool.on('error', (error) => {
    // An idle client lost its connection; the pool replaces it on next use.
    options.log.warn({ err: error }, 'an idle PostgreSQL connection failed');
  });

  const session: SqlSession = {
    async exec(sql) {
      await pool.query(sql);
    },
    async query(sql, params) {
      const result = await pool.query(sql, params as unknown[]);
      return result.rows;
    },
  };

  // Migrations need one connection for the advisory lock and the transactions.
  const client = await pool.connect();
  let migrationsApplied: string[];
  try {
    migrationsApplied = await applyMigrations(
      {
        exec: async (sql) => void (await client.query(sql)),
        query: async (sql, params) => (await client.query(sql, params as unknown[])).rows,
      },
      options.log,
      { useAdvisoryLock: true },
    );
  } finally {
    client.release();
  }

  const queries: QueryCounter = { count: 0 };
  const prisma = new PrismaClient({
    adapter: new PrismaPg(pool),
    log: [{ emit: 'event', level: 'query' }],
  });
  withQueryCounter(prisma, queries);

  const readerPool = new pg.Pool({ connectionString: url, max: 1 });
  readerPool.on('error', (error) => {
    options.log.warn({ err: error }, 'the event log reader lost its PostgreSQL connection');
  });
  const logReader = new PrismaClient({ adapter: new PrismaPg(readerPool) });

  return {
    prisma,
    logReader,
    kind: 'postgres',
    location: redactUrl(url),
    migrationsApplied,
    queries,
    session,
    async ping() {
      try {
        await pool.query('SELECT 1');
        return true;
      } catch {
        return false;
      }
    },
    async close() {
      await logReader.$disconnect();
      await readerPool.end();
      await prisma.$disconnect();
      await pool.end();
    },
  };
}

async function openPglite(options: DatabaseOptions): Promise<Database> {
  let location = 'memory://';
  let pglite: PGlite;
  if (options.inMemory) {
    pglite = new PGlite();
  } else {
    location = path.join(options.dataDir, 'pglite');
    // PGlite does not create missing parent folders itself.
    fs.mkdirSync(location, { recursive: true });
    pglite = new PGlite(location);
  }
  await pglite.waitReady;

  const session: SqlSession = {
    async exec(sql) {
      await pglite.exec(sql);
    },
    async query<Row>(sql: string, params?: unknown[]) {
      const result = await pglite.query<Row>(sql, params as unknown[]);
      return result.rows;
    },
  };

  // PGlite has one connection, so there is nothing to lock against.
  const migrationsApplied = await applyMigrations(session, options.log, {
    useAdvisoryLock: false,
  });

  const queries: QueryCounter = { count: 0 };
  const prisma = new PrismaClient({
    // pglite-prisma-adapter 0.6 is typed against an older
    // @prisma/driver-adapter-utils; the runtime contract is the same.
    adapter: new PrismaPGlite(pglite) as unknown as PrismaPg,
    log: [{ emit: 'event', level: 'query' }],
  });
  withQueryCounter(prisma, queries);

  return {
    prisma,
    logReader: prisma,
    kind: 'pglite',
    location,
    migrationsApplied,
    queries,
    session,
    async ping() {
      try {
        await pglite.query('SELECT 1');
        return true;
      } catch {
        return false;
      }
    },
    async close() {
      await prisma.$disconnect();
      await pglite.close();
    },
  };
}

/**
 * Opens the configured database and brings its schema up to date: a real
 * PostgreSQL server when `databaseUrl` is set, else PGlite under `dataDir`.
 */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.databaseUrl) {
    return openPostgres(options.databaseUrl, options);
  }

  return openPglite(options);
}
