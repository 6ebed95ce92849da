import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import type { Logger } from '../logger';

/** The smallest surface both PGlite and a `pg` client offer. */
export interface SqlSession {
  /** Runs one or more statements without parameters. */
  exec(sql: string): Promise<void>;
  query<Row>(sql: string, params?: unknown[]): Promise<Row[]>;
}

export const MIGRATIONS_DIR = path.resolve(__dirname, '..', '..', 'prisma', 'migrations');

// Any constant will do; every instance must use the same one so that only
// one of several servers starting together applies migrations.
const MIGRATION_LOCK_KEY = 7_301_984_551;

interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

function readMigrations(dir: string): Migration[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = fs.readFileSync(path.join(dir, name, 'migration.sql'), 'utf8');

      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

/**
 * Applies the migrations under prisma/migrations that the database has not
 * seen, each in its own transaction, and records them in the same
 * `_prisma_migrations` table the Prisma CLI keeps, so `prisma migrate status`
 * and `migrate deploy` agree with the server about what is applied.
 *
 * On PostgreSQL an advisory lock makes concurrent starts wait for each other.
 * Returns the names of the migrations applied now.
 */
export async function applyMigrations(
  session: SqlSession,
  log: Logger,
  options: { useAdvisoryLock: boolean; dir?: string },
): Promise<string[]> {
  const migrations = readMigrations(options.dir ?? MIGRATIONS_DIR);

  if (options.useAdvisoryLock) {
    await session.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
  }

  try {
    await session.exec(`
      CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
        "id" VARCHAR(36) PRIMARY KEY NOT NULL,
        "checksum" VARCHAR(64) NOT NULL,
        "finished_at" TIMESTAMPTZ,
        "migration_name" VARCHAR(255) NOT NULL,
        "logs" TEXT,
        "rolled_back_at" TIMESTAMPTZ,
        "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
        "applied_steps_count" INTEGER NOT NULL DEFAULT 0
      )`);

    const rows = await session.query<{ migration_name: string; checksum: string }>(
      `SELECT migration_name, checksum FROM "_prisma_migrations"
       WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
    );
    const applied = new Map(rows.map((row) => [row.migration_name, row.checksum]));

    const done: string[] = [];
    for (const migration of migrations) {
      const checksum = applied.get(migration.name);
      if (checksum !== undefined) {
        if (checksum !== migration.checksum) {
          // Editing an applied migration never changes a database that has it;
          // say so instead of silently drifting.
          log.warn(
            { migration: migration.name },
            'an applied migration was edited after it ran; the database keeps the version it applied',
          );
        }
        continue;
      }

      await session.exec('BEGIN');
      try {
        await session.exec(migration.sql);
        await session.query(
          `INSERT INTO "_prisma_migrations"
             (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
           VALUES ($1, $2, $3, now(), now(), 1)`,
          [randomUUID(), migration.checksum, migration.name],
        );
        await session.exec('COMMIT');
      } catch (error) {
        await session.exec('ROLLBACK');
        throw new Error(
          `migration ${migration.name} failed and was rolled back: ${String(error)}`,
          {
            cause: error,
          },
        );
      }
      done.push(migration.name);
    }

    return done;
  } finally {
    if (options.useAdvisoryLock) {
      await session.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  }
}
