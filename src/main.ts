import path from 'node:path';

import { JWT_SECRET_FILE } from './auth/tokens';
import { ConfigError, loadConfig, type Config } from './config';
import { createLogger, type Logger } from './logger';
import { listDemoUsers } from './seed/demo';
import { createServer, type SelfServiceServer } from './server';

/** How many ready-made tokens the start banner shows at most. */
const MAX_PRINTED_TOKENS = 10;

/**
 * With a development secret generated into DATA_DIR nobody outside this
 * machine can sign tokens, so the entry point prints some for the demo
 * people. They go to stdout as plain text, never into the JSON log, which
 * may be shipped elsewhere.
 */
async function printDevelopmentTokens(
  server: SelfServiceServer,
  config: Config,
  log: Logger,
): Promise<void> {
  const { verifier } = server;
  if (verifier.mode !== 'hs256' || !verifier.secretGenerated || !verifier.sign) {
    return;
  }

  const users = (await listDemoUsers(server.db.prisma)).slice(0, MAX_PRINTED_TOKENS);
  const secretFile = path.join(config.dataDir, JWT_SECRET_FILE);
  const lines = ['', `Development tokens, valid 12 hours, signed with ${secretFile}:`];
  for (const user of users) {
    const token = await verifier.sign({ email: user.email, name: user.name ?? undefined }, '12h');
    lines.push(`  ${user.email}${user.name ? ` (${user.name})` : ''}`);
    lines.push(`    Authorization: Bearer ${token}`);
  }
  if (users.length === 0) {
    lines.push('  (no demo users in this database)');
  }

  lines.push(
    'In GraphiQL, paste {"Authorization": "Bearer <token>"} into the Headers tab.',
    'A token for anyone else: npm run token -- <email> [name]',
    '',
  );

  // The pretty log is written by a worker thread; without the flush this
  // block would land before the start-up lines. (JSON lines may still be
  // in flight: pino's flush does not wait for them.)
  await new Promise<void>((resolve) => log.flush(() => resolve()));
  process.stdout.write(`${lines.join('\n')}\n`);
}

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      createLogger({ logFormat: 'json', logLevel: 'info' }).fatal(
        `configuration: ${error.message}`,
      );
      process.exit(2);
    }
    throw error;
  }

  const log = createLogger(config);
  const server = await createServer({ config, log });
  log.info(
    {
      database: server.db.kind,
      location: server.db.location,
      migrationsApplied: server.db.migrationsApplied,
    },
    server.db.migrationsApplied.length
      ? `database ready; applied ${server.db.migrationsApplied.length} migration(s)`
      : 'database ready; schema up to date',
  );

  const url = await server.start();
  log.info({ url }, `Self Service listening; GraphiQL at ${url}`);

  await printDevelopmentTokens(server, config, log);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) {
      return;
    }
    stopping = true;
    log.info({ signal }, 'shutting down: closing connections and the database');
    await server.stop();
    log.info('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  createLogger({ logFormat: 'json', logLevel: 'info' }).fatal({ err: error }, 'failed to start');
  process.exit(1);
});
