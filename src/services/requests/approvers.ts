import type { AppRequest, ApprovalStep, User } from '../../generated/prisma/client';
import type { Tx } from '../../db/transaction';
import type { Viewer } from '../users';

export type Person = Pick<User, 'id' | 'email' | 'name'>;

const PERSON = { id: true, email: true, name: true } as const;

/** Who decides a step for one request, once self-approval is ruled out. */
export interface StepApprover {
  approverUserId: string | null;
  approverGroupId: string | null;
  /** The requester was the step's only possible approver: administrators decide. */
  approverIsAdmins: boolean;
}

/** Org administrators: granted in the database or named by ADMIN_EMAILS. */
export async function findAdministrators(
  tx: Tx,
  adminEmails: ReadonlySet<string>,
): Promise<Person[]> {
  return tx.user.findMany({
    where: { OR: [{ isAdmin: true }, { email: { in: [...adminEmails] } }] },
    select: PERSON,
    orderBy: { email: 'asc' },
  });
}

/**
 * Nobody decides on their own request: a user step naming the requester, or
 * a group step whose only member is the requester, goes to administrators.
 */
export async function resolveStepApprover(
  tx: Tx,
  step: Pick<ApprovalStep, 'approverUserId' | 'approverGroupId'> | null,
  requesterId: string,
): Promise<StepApprover> {
  const toAdmins = { approverUserId: null, approverGroupId: null, approverIsAdmins: true };
  if (!step) {
    return toAdmins;
  }

  if (step.approverUserId) {
    return step.approverUserId === requesterId
      ? toAdmins
      : { approverUserId: step.approverUserId, approverGroupId: null, approverIsAdmins: false };
  }

  const others = await tx.groupMembership.count({
    where: { groupId: step.approverGroupId!, userId: { not: requesterId } },
  });

  return others > 0
    ? { approverUserId: null, approverGroupId: step.approverGroupId, approverIsAdmins: false }
    : toAdmins;
}

type CurrentApprover = Pick<
  AppRequest,
  'requesterId' | 'currentApproverUserId' | 'currentApproverGroupId' | 'currentApproverIsAdmins'
>;

/** The people who may decide the request's current step now (never the requester). */
export async function currentApprovers(
  tx: Tx,
  request: CurrentApprover,
  adminEmails: ReadonlySet<string>,
): Promise<Person[]> {
  let people: Person[] = [];
  if (request.currentApproverUserId) {
    people = await tx.user.findMany({
      where: { id: request.currentApproverUserId },
      select: PERSON,
    });
  } else if (request.currentApproverGroupId) {
    people = await tx.user.findMany({
      where: { memberships: { some: { groupId: request.currentApproverGroupId } } },
      select: PERSON,
      orderBy: { email: 'asc' },
    });
  } else if (request.currentApproverIsAdmins) {
    people = await findAdministrators(tx, adminEmails);
  }

  return people.filter((person) => person.id !== request.requesterId);
}

/** Whether the viewer may decide the request's current step. */
export async function mayDecide(
  tx: Tx,
  request: CurrentApprover,
  viewer: Viewer,
): Promise<boolean> {
  if (viewer.id === request.requesterId) {
    return false;
  }
  if (request.currentApproverUserId) {
    return request.currentApproverUserId === viewer.id;
  }
  if (request.currentApproverGroupId) {
    const membership = await tx.groupMembership.findUnique({
      where: { groupId_userId: { groupId: request.currentApproverGroupId, userId: viewer.id } },
    });
    return membership !== null;
  }

  return request.currentApproverIsAdmins && viewer.isAdmin;
}
