import type { Tx } from '../../db/transaction';
import type { RequestDeps } from './deps';
import { finishEnded, loadRequest, newTransition } from './workflow';

/**
 * Ends every pending request for an app whose self-service settings or
 * workflow changed under it (made not requestable, approval switched off,
 * steps replaced, app deactivated), so none is left waiting on a step that
 * no longer exists. Each requester is told why. Runs inside the caller's
 * transaction, so the change and its consequences commit together; the
 * caller announces the returned event ids after commit.
 */
export async function endPendingRequestsForApp(
  tx: Tx,
  args: { appId: string; reason: string; actorId: string | null },
  // Only used to find administrators named by ADMIN_EMAILS among the people
  // a request leaves; administrators granted in the database are found
  // without it.
  deps: Pick<RequestDeps, 'config'> = { config: { adminEmails: new Set() } },
): Promise<bigint[]> {
  const pending = await tx.appRequest.findMany({
    where: { appId: args.appId, status: 'PENDING' },
    select: { id: true },
  });
  if (pending.length === 0) {
    return [];
  }

  // Lock them all in one statement, in a fixed order, so this cannot
  // deadlock with a decision that locks one of them.
  await tx.$queryRaw`
    SELECT id FROM app_requests
    WHERE app_id = ${args.appId}::uuid AND status = 'PENDING'
    ORDER BY id FOR UPDATE`;

  const t = newTransition(tx, deps, args.actorId);
  for (const { id } of pending) {
    const request = await loadRequest(tx, id);
    if (request?.status !== 'PENDING') {
      continue;
    }
    await finishEnded(t, request, {
      status: 'CANCELLED',
      event: 'CANCELLED',
      notification: 'REQUEST_CANCELLED',
      notifyAppRecipients: false,
      reason: args.reason,
    });
  }

  return t.events.ids;
}
