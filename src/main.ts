import { ConfigError, loadConfig } from './config';
import { createLogger } from './logger';
import { createServer } from './server';

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
