import type { Config } from '../../config';
import type { PrismaClient } from '../../generated/prisma/client';
import type { Logger } from '../../logger';

/** What the request services need from the running server. */
export interface RequestDeps {
  prisma: PrismaClient;
  config: Pick<Config, 'adminEmails'>;
  log: Logger;
  /**
   * Called after a transaction that appended request events has committed,
   * with the new event ids: wakes subscriptions and the notification worker.
   * Never called for a rolled-back change.
   */
  announce(eventIds: bigint[]): void;
}
