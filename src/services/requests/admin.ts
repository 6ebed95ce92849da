import type { AppRequest } from '../../generated/prisma/client';
import { inTransaction, lockRequestRow, type Tx } from '../../db/transaction';
import { ConflictError, NotFoundError } from '../errors';
import type { Viewer } from '../users';
import { assertText } from '../validate';
import { currentApprovers } from './approvers';
import type { RequestDeps } from './deps';
import {
  finishApproved,
  finishEnded,
  loadRequest,
  newTransition,
  notifyApprovers,
  type LoadedRequest,
  type Transition,
} from './workflow';

/*
 * Administrators' actions on requests. Each runs in one transaction on the
 * locked request row, like an approver's decision.
 */

async function lockPending(tx: Tx, requestId: string): Promise<LoadedRequest> {
  const request = (await lockRequestRow(tx, requestId)) ? await loadRequest(tx, requestId) : null;
  if (!request) {
    throw new NotFoundError('no access request has this ID', 'input.requestId');
  }
  if (request.status !== 'PENDING' || request.currentPosition === null) {
    throw new ConflictError(`this request is already ${request.status.toLowerCase()}`);
  }

  return request;
}

async function run(
  deps: RequestDeps,
  viewer: Viewer,
  requestId: string,
  action: (t: Transition, request: LoadedRequest) => Promise<void>,
): Promise<AppRequest> {
  const events = await inTransaction(deps.prisma, async (tx) => {
    const request = await lockPending(tx, requestId);
    const t = newTransition(tx, deps, viewer.id);
    await action(t, request);

    return t.events;
  });
  deps.announce(events.ids);

  return deps.prisma.appRequest.findUniqueOrThrow({ where: { id: requestId } });
}

/**
 * Assigns the app now. The current step and every later one are recorded as
 * skipped by this administrator, so the timeline shows who bypassed what.
 */
export function overrideRequest(
  deps: RequestDeps,
  viewer: Viewer,
  input: { requestId: string; comment?: string | null },
): Promise<AppRequest> {
  const comment = assertText(input.comment, 'input.comment', { max: 1_000 });

  return run(deps, viewer, input.requestId, async (t, request) => {
    const steps = await t.tx.approvalStep.findMany({
      where: { appId: request.appId, position: { gte: request.currentPosition! } },
      orderBy: { position: 'asc' },
    });
    const skipped = steps.length
      ? steps.map((step) => ({ position: step.position, stepId: step.id as string | null }))
      : [{ position: request.currentPosition!, stepId: request.currentStepId }];
    await t.tx.approvalDecision.createMany({
      data: skipped.map((step) => ({
        requestId: request.id,
        position: step.position,
        stepId: step.stepId,
        approverId: viewer.id,
        outcome: 'SKIPPED' as const,
        comment,
        decidedAt: t.now,
      })),
    });

    await t.events.append({
      requestId: request.id,
      type: 'OVERRIDDEN',
      actorId: viewer.id,
      requesterId: request.requesterId,
      data: {
        skippedPositions: skipped.map((step) => step.position).join(','),
        ...(comment ? { comment } : {}),
      },
    });
    await finishApproved(t, request, 'ADMIN_OVERRIDE', {
      overridden: true,
      ...(comment ? { comment } : {}),
    });
  });
}

/** Ends a pending request with a reason, which the requester is told. */
export function deleteRequest(
  deps: RequestDeps,
  viewer: Viewer,
  input: { requestId: string; reason: string },
): Promise<AppRequest> {
  const reason = assertText(input.reason, 'input.reason', { max: 1_000, required: true });

  return run(deps, viewer, input.requestId, (t, request) =>
    finishEnded(t, request, {
      status: 'CANCELLED',
      event: 'DELETED',
      notification: 'REQUEST_DELETED',
      notifyAppRecipients: false,
      reason,
    }),
  );
}

/** Sends the current step's approval-required notification again. */
export function resendNotification(
  deps: RequestDeps,
  viewer: Viewer,
  input: { requestId: string },
): Promise<AppRequest> {
  return run(deps, viewer, input.requestId, async (t, request) => {
    const approvers = await currentApprovers(t.tx, request, deps.config.adminEmails);
    const step = request.currentStepId
      ? await t.tx.approvalStep.findUnique({ where: { id: request.currentStepId } })
      : null;
    const stepCount = await t.tx.approvalStep.count({ where: { appId: request.appId } });

    await t.events.append({
      requestId: request.id,
      type: 'NOTIFICATION_RESENT',
      actorId: viewer.id,
      requesterId: request.requesterId,
      data: { position: request.currentPosition!, recipients: approvers.length },
    });
    await notifyApprovers(t, request, approvers, {
      stepNumber: String(request.currentPosition),
      stepCount: String(Math.max(stepCount, 1)),
      stepMessage: step?.notificationMessage ?? '',
    });
  });
}
