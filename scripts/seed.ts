/*
 * npm run seed
 *
 * Opens the configured database (DATABASE_URL, else the PGlite folder under
 * DATA_DIR), applies pending migrations, and seeds the demo data if the
 * database is empty. The server does the same on every start unless
 * SEED_DEMO=false, so this is for databases whose server runs with it off.
 *
 * PGlite allows one process per data folder, and nothing reliably tells
 * whether a server holds it (PGlite's postmaster.pid names no real process):
 * stop the server that uses the same DATA_DIR first. Opening a folder from
 * two processes at once can corrupt it.
 */
import { ConfigError, loadConfig } from '../src/config';
import { openDatabase } from '../src/db/database';
import { createLogger } from '../src/logger';
import { listDemoUsers, seedDemoData } from '../src/seed/demo';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`configuration: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }

  if (!config.databaseUrl) {
    process.stdout.write(
      `Seeding the PGlite database in ${config.dataDir}. This must not run while a server ` +
        'has the same folder open (PGlite allows one process): stop it first.\n',
    );
  }

  const log = createLogger({ ...config, logFormat: 'pretty' });
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, log });
  try {
    const before = (await listDemoUsers(db.prisma)).length;
    await seedDemoData(db.prisma, log);
    const after = (await listDemoUsers(db.prisma)).length;

    process.stdout.write(
      after > before
        ? `Seeded ${db.location}; try npm run token -- alice@example.com\n`
        : `${db.location} is not empty; nothing seeded.\n`,
    );
  } finally {
    await db.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`seed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
