import type {
  AppIntegration,
  AppRequest,
  AppRequestStatus,
  AssignmentSource,
  NotificationEvent,
  RequestEventType,
} from '../../generated/prisma/client';
import type { Tx } from '../../db/transaction';
import { enqueueNotification, enqueuePersonalNotifications } from '../notifications/outbox';
import { getOrgSettings } from '../settings';
import type { TemplateValues } from '../templates';
import { durationToMs } from '../validate';
import { currentApprovers, resolveStepApprover, type Person } from './approvers';
import type { RequestDeps } from './deps';
import { EventLog } from './events';

/*
 * The state machine of one access request. Every function here runs inside
 * the caller's transaction, after the caller has locked the request row
 * (lockRequestRow), and records what it did in the event log and the
 * notification outbox of that same transaction.
 */

export type LoadedRequest = AppRequest & {
  app: Pick<AppIntegration, 'id' | 'name' | 'label' | 'notifyEmails'>;
  requester: Person;
};

export interface Transition {
  tx: Tx;
  events: EventLog;
  deps: Pick<RequestDeps, 'config'>;
  /** Null when the system acts (a timeout). */
  actorId: string | null;
  now: Date;
}

/** A transition of one transaction, with an empty event log of its own. */
export function newTransition(
  tx: Tx,
  deps: Pick<RequestDeps, 'config'>,
  actorId: string | null,
  now = new Date(),
): Transition {
  return { tx, events: new EventLog(tx), deps, actorId, now };
}

const NO_CURRENT_STEP = {
  currentStepId: null,
  currentPosition: null,
  currentApproverUserId: null,
  currentApproverGroupId: null,
  currentApproverIsAdmins: false,
  stepStartedAt: null,
  stepDeadline: null,
} as const;

export async function loadRequest(tx: Tx, requestId: string): Promise<LoadedRequest | null> {
  return tx.appRequest.findUnique({
    where: { id: requestId },
    include: {
      app: { select: { id: true, name: true, label: true, notifyEmails: true } },
      requester: { select: { id: true, email: true, name: true } },
    },
  });
}

/** Placeholder values every notification about this request can use. */
export function requestValues(request: LoadedRequest, extra: TemplateValues = {}): TemplateValues {
  return {
    requesterName: request.requester.name ?? request.requester.email,
    requesterEmail: request.requester.email,
    appName: request.app.name,
    appLabel: request.app.label,
    justification: request.justification ?? '',
    requestId: request.id,
    ...extra,
  };
}

/**
 * Starts step `position` of the app's chain: picks its approver, opens its
 * window, and tells the approvers. When the chain has no such step the
 * request is approved. An app that requires approval but has no steps at
 * all is decided by administrators in a single step.
 */
export async function beginStep(
  t: Transition,
  request: LoadedRequest,
  position: number,
  /** The comment of the decision that completed the previous step, if any. */
  comment?: string | null,
): Promise<void> {
  const step = await t.tx.approvalStep.findUnique({
    where: { appId_position: { appId: request.appId, position } },
  });
  if (!step && position > 1) {
    await finishApproved(t, request, 'APPROVED_REQUEST', comment ? { comment } : {});
    return;
  }

  const approver = await resolveStepApprover(t.tx, step, request.requesterId);
  const settings = await getOrgSettings(t.tx);
  const window = step?.timeout ?? settings.defaultApprovalTimeout;
  const updated = await t.tx.appRequest.update({
    where: { id: request.id },
    data: {
      currentStepId: step?.id ?? null,
      currentPosition: position,
      currentApproverUserId: approver.approverUserId,
      currentApproverGroupId: approver.approverGroupId,
      currentApproverIsAdmins: approver.approverIsAdmins,
      stepStartedAt: t.now,
      stepDeadline: new Date(t.now.getTime() + durationToMs(window)),
      escalated: false,
    },
  });

  const approvers = await currentApprovers(t.tx, updated, t.deps.config.adminEmails);
  const stepCount = await t.tx.approvalStep.count({ where: { appId: request.appId } });
  await t.events.append({
    requestId: request.id,
    type: 'STEP_STARTED',
    actorId: t.actorId,
    requesterId: request.requesterId,
    entered: approvers.map((person) => person.id),
    data: {
      position,
      approverUserIds: approvers.map((person) => person.id),
      approverGroupId: approver.approverGroupId,
      administratorsDecide: approver.approverIsAdmins,
    },
  });
  await notifyApprovers(t, request, approvers, {
    stepNumber: String(position),
    stepCount: String(Math.max(stepCount, 1)),
    stepMessage: step?.notificationMessage ?? '',
  });
}

/** One approval-required message per approver, each greeting its reader. */
/**
 * The request as the next transition should see it once its current step is
 * done: nobody is deciding it any more, so a later "approved" event does not
 * report the same people leaving the queue a second time.
 */
export function withStepDone(request: LoadedRequest): LoadedRequest {
  return {
    ...request,
    currentApproverUserId: null,
    currentApproverGroupId: null,
    currentApproverIsAdmins: false,
  };
}

/**
 * The current step counts as approved (by its approver, or by its timeout
 * action): it leaves the approvers' queues and the next step begins, or the
 * request is approved when there is none.
 */
export async function completeStep(
  t: Transition,
  request: LoadedRequest,
  data: Record<string, string | number | boolean> = {},
  comment?: string | null,
): Promise<void> {
  const position = request.currentPosition!;
  const leaving = await currentApprovers(t.tx, request, t.deps.config.adminEmails);
  await t.events.append({
    requestId: request.id,
    type: 'STEP_APPROVED',
    actorId: t.actorId,
    requesterId: request.requesterId,
    left: leaving.map((person) => person.id),
    data: { position, ...data, ...(comment ? { comment } : {}) },
  });
  await beginStep(t, withStepDone(request), position + 1, comment);
}

export async function notifyApprovers(
  t: Transition,
  request: LoadedRequest,
  approvers: Person[],
  values: TemplateValues,
): Promise<void> {
  await enqueuePersonalNotifications(t.tx, {
    event: 'APPROVAL_REQUIRED',
    messages: approvers.map((approver) => ({
      recipient: approver.email,
      values: requestValues(request, { ...values, approverName: approver.name ?? approver.email }),
    })),
    requestId: request.id,
  });
}

/**
 * Ends the request as approved and puts the app on the requester's
 * dashboard. The unique (app, user) assignment makes a second assignment
 * impossible; a user who meanwhile got the app another way keeps that one.
 */
export async function finishApproved(
  t: Transition,
  request: LoadedRequest,
  source: AssignmentSource,
  data: Record<string, string | number | boolean> = {},
): Promise<void> {
  const leaving = await currentApprovers(t.tx, request, t.deps.config.adminEmails);
  await t.tx.appRequest.update({
    where: { id: request.id },
    data: { ...NO_CURRENT_STEP, status: 'APPROVED', resolvedAt: t.now },
  });

  const existing = await t.tx.appAssignment.findUnique({
    where: { appId_userId: { appId: request.appId, userId: request.requesterId } },
  });
  if (!existing) {
    await t.tx.appAssignment.create({
      data: {
        appId: request.appId,
        userId: request.requesterId,
        source,
        requestId: request.id,
        assignedAt: t.now,
      },
    });
  }

  await t.events.append({
    requestId: request.id,
    type: 'APPROVED',
    actorId: t.actorId,
    requesterId: request.requesterId,
    left: leaving.map((person) => person.id),
    data,
  });
  await t.events.append({
    requestId: request.id,
    type: 'ASSIGNED',
    actorId: t.actorId,
    requesterId: request.requesterId,
    data: { alreadyAssigned: existing !== null },
  });
  await enqueueNotification(t.tx, {
    event: 'REQUEST_APPROVED',
    recipients: [request.requester.email, ...request.app.notifyEmails],
    values: requestValues(request, { comment: String(data.comment ?? '') }),
    requestId: request.id,
  });
}

export interface Ending {
  status: Exclude<AppRequestStatus, 'PENDING' | 'APPROVED'>;
  event: RequestEventType;
  notification: NotificationEvent;
  /** Also tell the app's extra recipients (approvals, denials, expiries). */
  notifyAppRecipients: boolean;
  reason?: string | null;
  comment?: string | null;
  /** Who decided, for the {{approverName}} placeholder. */
  decidedBy?: Person | null;
  data?: Record<string, string | number | boolean>;
}

/** Ends a pending request without assigning the app. */
export async function finishEnded(
  t: Transition,
  request: LoadedRequest,
  ending: Ending,
): Promise<void> {
  const leaving = await currentApprovers(t.tx, request, t.deps.config.adminEmails);
  await t.tx.appRequest.update({
    where: { id: request.id },
    data: {
      ...NO_CURRENT_STEP,
      status: ending.status,
      resolvedAt: t.now,
      endReason: ending.reason ?? null,
    },
  });

  await t.events.append({
    requestId: request.id,
    type: ending.event,
    actorId: t.actorId,
    requesterId: request.requesterId,
    left: leaving.map((person) => person.id),
    data: {
      ...ending.data,
      ...(ending.reason ? { reason: ending.reason } : {}),
      ...(ending.comment ? { comment: ending.comment } : {}),
    },
  });
  await enqueueNotification(t.tx, {
    event: ending.notification,
    recipients: [
      request.requester.email,
      ...(ending.notifyAppRecipients ? request.app.notifyEmails : []),
    ],
    values: requestValues(request, {
      reason: ending.reason ?? '',
      comment: ending.comment ?? '',
      approverName: ending.decidedBy ? (ending.decidedBy.name ?? ending.decidedBy.email) : '',
      stepNumber: String(request.currentPosition ?? ''),
    }),
    requestId: request.id,
  });
}
