import { inTransaction } from '../../db/transaction';
import { getOrgSettings } from '../settings';
import { durationToMs } from '../validate';
import { currentApprovers, resolveStepApprover } from './approvers';
import type { RequestDeps } from './deps';
import { completeStep, finishEnded, loadRequest, newTransition, notifyApprovers } from './workflow';

/*
 * Step timeouts. Every server instance sweeps for steps whose window has
 * ended; a row lock with SKIP LOCKED, and a re-check of the deadline under
 * that lock, make each timeout fire exactly once however many instances
 * sweep. Windows that ended while no server ran fire on the first sweep
 * after start.
 *
 * A job library was considered: pg-boss and graphile-worker need a real
 * PostgreSQL server (LISTEN/NOTIFY, several connections) and cannot run on
 * the embedded PGlite database, so the sweep uses plain row locks.
 */

/** Applies the timeout of one request if it is still due; false if not. */
async function expireOne(deps: RequestDeps, requestId: string, now: Date): Promise<bigint[]> {
  return inTransaction(deps.prisma, async (tx) => {
    const due = await tx.$queryRaw<{ id: string }[]>`
      SELECT id FROM app_requests
      WHERE id = ${requestId}::uuid AND status = 'PENDING' AND step_deadline <= ${now}
      FOR UPDATE SKIP LOCKED`;
    if (due.length === 0) {
      return [];
    }

    const request = (await loadRequest(tx, requestId))!;
    const step = request.currentStepId
      ? await tx.approvalStep.findUnique({ where: { id: request.currentStepId } })
      : null;
    const action = step?.timeoutAction ?? 'EXPIRE';
    const position = request.currentPosition!;
    const t = newTransition(tx, deps, null, now);

    if (action === 'ESCALATE' && step?.escalateToUserId && !request.escalated) {
      const leaving = await currentApprovers(tx, request, deps.config.adminEmails);
      const approver = await resolveStepApprover(
        tx,
        { approverUserId: step.escalateToUserId, approverGroupId: null },
        request.requesterId,
      );
      const window = step.timeout ?? (await getOrgSettings(tx)).defaultApprovalTimeout;
      const updated = await tx.appRequest.update({
        where: { id: request.id },
        data: {
          currentApproverUserId: approver.approverUserId,
          currentApproverGroupId: null,
          currentApproverIsAdmins: approver.approverIsAdmins,
          stepStartedAt: now,
          stepDeadline: new Date(now.getTime() + durationToMs(window)),
          escalated: true,
        },
      });
      const approvers = await currentApprovers(tx, updated, deps.config.adminEmails);
      await t.events.append({
        requestId: request.id,
        type: 'ESCALATED',
        actorId: null,
        requesterId: request.requesterId,
        left: leaving.map((person) => person.id),
        entered: approvers.map((person) => person.id),
        data: { position, approverUserIds: approvers.map((person) => person.id) },
      });
      await notifyApprovers(t, request, approvers, {
        stepNumber: String(position),
        stepMessage: step.notificationMessage ?? '',
      });
      return t.events.ids;
    }

    const outcome =
      action === 'APPROVE'
        ? 'TIMED_OUT_APPROVED'
        : action === 'DENY'
          ? 'TIMED_OUT_DENIED'
          : 'TIMED_OUT_EXPIRED';
    await tx.approvalDecision.create({
      data: {
        requestId: request.id,
        position,
        stepId: request.currentStepId,
        outcome,
        decidedAt: now,
      },
    });

    if (action === 'APPROVE') {
      await completeStep(t, request, { timedOut: true });
    } else if (action === 'DENY') {
      await finishEnded(t, request, {
        status: 'DENIED',
        event: 'DENIED',
        notification: 'REQUEST_DENIED',
        notifyAppRecipients: true,
        reason: `No decision was made on step ${position} in time.`,
        data: { position, timedOut: true },
      });
    } else {
      // EXPIRE, and ESCALATE once the escalation has itself run out.
      await finishEnded(t, request, {
        status: 'EXPIRED',
        event: 'EXPIRED',
        notification: 'REQUEST_EXPIRED',
        notifyAppRecipients: true,
        reason: `No decision was made on step ${position} in time.`,
        data: { position, timedOut: true },
      });
    }

    return t.events.ids;
  });
}

/**
 * Fires every step timeout that is due. Returns how many this call handled
 * (another instance may have handled others).
 */
export async function sweepTimeouts(deps: RequestDeps, now = new Date()): Promise<number> {
  const due = await deps.prisma.appRequest.findMany({
    where: { status: 'PENDING', stepDeadline: { lte: now } },
    select: { id: true },
    orderBy: { stepDeadline: 'asc' },
    take: 100,
  });

  let handled = 0;
  for (const { id } of due) {
    const ids = await expireOne(deps, id, now);
    if (ids.length) {
      handled += 1;
      deps.announce(ids);
    }
  }

  return handled;
}
