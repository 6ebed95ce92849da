import { inTransaction, type Tx } from '../db/transaction';
import type { AppIntegration } from '../generated/prisma/client';
import { NotFoundError } from './errors';
import type { RequestDeps } from './requests/deps';
import { endPendingRequestsForApp } from './requests/guard-rails';

/** What a change to an app needs: the database, and the request guard rail's needs. */
export type AppChangeDeps = Pick<RequestDeps, 'prisma' | 'config' | 'announce'>;

/** Given to a change: ends the app's pending requests, telling requesters `reason`. */
export type CloseRequests = (reason: string) => Promise<void>;

/**
 * Runs one change to an app in a transaction that holds the app's row
 * locked. The change calls `closeRequests` when it strands the app's
 * pending requests; they end in the same transaction, and their events are
 * announced only once it has committed.
 *
 * @throws NotFoundError (field `input.appId`) when no app has this id, and
 * whatever the change throws, after rolling everything back.
 */
export async function changeApp<Result>(
  deps: AppChangeDeps,
  input: { appId: string; actorId: string },
  change: (tx: Tx, before: AppIntegration, closeRequests: CloseRequests) => Promise<Result>,
): Promise<Result> {
  const eventIds: bigint[] = [];

  const result = await inTransaction(deps.prisma, async (tx) => {
    // Changes to one app take turns, so each reads the state the previous
    // one committed and a transition such as "requestable became false" is
    // acted on exactly once.
    const rows = await tx.$queryRaw<{ id: string }[]>`
      SELECT id FROM app_integrations WHERE id = ${input.appId}::uuid FOR UPDATE`;
    if (rows.length === 0) {
      throw new NotFoundError('input.appId names no app integration', 'input.appId');
    }
    const before = await tx.appIntegration.findUniqueOrThrow({ where: { id: input.appId } });

    return change(tx, before, async (reason) => {
      const args = { appId: input.appId, reason, actorId: input.actorId };
      eventIds.push(...(await endPendingRequestsForApp(tx, args, deps)));
    });
  });

  if (eventIds.length > 0) {
    deps.announce(eventIds);
  }

  return result;
}
