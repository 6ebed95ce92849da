import type { Prisma } from '../../generated/prisma/client';

/**
 * Ends every pending request for an app whose self-service settings or
 * workflow changed under it (made not requestable, approval switched off,
 * steps replaced, app deactivated), so none is left waiting on a step that
 * no longer exists. Runs inside the caller's transaction, so the change and
 * its consequences commit together. Returns the ids of the ended requests.
 */
export async function endPendingRequestsForApp(
  tx: Prisma.TransactionClient,
  args: { appId: string; reason: string; actorId: string | null },
): Promise<string[]> {
  const pending = await tx.appRequest.findMany({
    where: { appId: args.appId, status: 'PENDING' },
    select: { id: true },
  });
  if (pending.length === 0) {
    return [];
  }

  const ids = pending.map((request) => request.id);
  const now = new Date();
  await tx.appRequest.updateMany({
    where: { id: { in: ids }, status: 'PENDING' },
    data: {
      status: 'CANCELLED',
      endReason: args.reason,
      resolvedAt: now,
      currentStepId: null,
      currentPosition: null,
      currentApproverUserId: null,
      currentApproverGroupId: null,
      currentApproverIsAdmins: false,
      stepDeadline: null,
    },
  });
  await tx.requestEvent.createMany({
    data: ids.map((requestId) => ({
      requestId,
      type: 'CANCELLED' as const,
      actorId: args.actorId,
      data: { reason: args.reason },
    })),
  });

  return ids;
}
