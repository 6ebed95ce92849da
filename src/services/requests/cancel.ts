import type { AppRequest } from '../../generated/prisma/client';
import { inTransaction, lockRequestRow } from '../../db/transaction';
import { ConflictError, NotFoundError } from '../errors';
import type { Viewer } from '../users';
import type { RequestDeps } from './deps';
import { finishEnded, loadRequest, newTransition } from './workflow';

/** The requester withdraws a pending request. */
export async function cancelRequest(
  deps: RequestDeps,
  viewer: Viewer,
  requestId: string,
): Promise<AppRequest> {
  const events = await inTransaction(deps.prisma, async (tx) => {
    const exists = await lockRequestRow(tx, requestId);
    const request = exists ? await loadRequest(tx, requestId) : null;
    // Someone else's request is reported as missing, not as forbidden, so
    // IDs cannot be probed.
    if (!request || request.requesterId !== viewer.id) {
      throw new NotFoundError('you have no access request with this ID', 'input.requestId');
    }
    if (request.status !== 'PENDING') {
      throw new ConflictError(`this request is already ${request.status.toLowerCase()}`);
    }

    const t = newTransition(tx, deps, viewer.id);
    await finishEnded(t, request, {
      status: 'CANCELLED',
      event: 'CANCELLED',
      notification: 'REQUEST_CANCELLED',
      notifyAppRecipients: false,
      reason: 'Cancelled by the requester.',
    });

    return t.events;
  });
  deps.announce(events.ids);

  return deps.prisma.appRequest.findUniqueOrThrow({ where: { id: requestId } });
}
