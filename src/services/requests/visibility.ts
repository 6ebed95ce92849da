import type { AppRequest, Prisma } from '../../generated/prisma/client';
import type { Viewer } from '../users';

/**
 * Requests waiting for the viewer's decision now: steps naming the viewer,
 * group steps of the viewer's groups, and (for administrators) steps that
 * fell to administrators. Never the viewer's own requests.
 */
export function approvalQueueWhere(
  viewer: Viewer,
  groupIds: string[],
): Prisma.AppRequestWhereInput {
  return {
    status: 'PENDING',
    requesterId: { not: viewer.id },
    OR: [
      { currentApproverUserId: viewer.id },
      ...(groupIds.length ? [{ currentApproverGroupId: { in: groupIds } }] : []),
      ...(viewer.isAdmin ? [{ currentApproverIsAdmins: true }] : []),
    ],
  };
}

/**
 * Who may read a request: its requester, administrators, whoever may decide
 * it now, and whoever took part in it before (it was in their queue, or they
 * decided a step), so an approver can still open what left their queue.
 */
export function canSeeRequest(
  viewer: Viewer,
  request: Pick<
    AppRequest,
    'requesterId' | 'currentApproverUserId' | 'currentApproverGroupId' | 'currentApproverIsAdmins'
  >,
  groupIds: string[],
  participants: string[],
): boolean {
  return (
    viewer.isAdmin ||
    request.requesterId === viewer.id ||
    request.currentApproverUserId === viewer.id ||
    (request.currentApproverGroupId !== null &&
      groupIds.includes(request.currentApproverGroupId)) ||
    participants.includes(viewer.id)
  );
}
