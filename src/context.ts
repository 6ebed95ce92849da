import type { Config } from './config';
import type { Database, PrismaClient } from './db/database';
import type { LogTailer } from './events/log-tailer';
import type { Logger } from './logger';
import type { Viewer } from './services/users';
import type { Loaders } from './schema/loaders';

/** What every resolver receives. Built once per operation (src/http/context.ts). */
export interface Context {
  config: Config;
  db: Database;
  prisma: PrismaClient;
  /** Null only for introspection-only operations, which need no token. */
  viewer: Viewer | null;
  requestId: string;
  log: Logger;
  loaders: Loaders;
  /** Follows the request event log for subscriptions. */
  tailer: LogTailer;
  /** Announces committed request events (see RequestDeps.announce). */
  announce(eventIds: bigint[]): void;
}

/** The context once the `authenticated` scope has passed. */
export type AuthenticatedContext = Context & { viewer: Viewer };
