import type { AppRequest } from '../../generated/prisma/client';
import { inTransaction, lockRequestRow } from '../../db/transaction';
import { ConflictError, ForbiddenError, NotFoundError } from '../errors';
import { isUniqueViolation, type Viewer } from '../users';
import { assertText } from '../validate';
import { mayDecide } from './approvers';
import type { RequestDeps } from './deps';
import { completeStep, finishEnded, loadRequest, newTransition } from './workflow';

export interface DecisionInput {
  requestId: string;
  comment?: string | null;
}

/**
 * An approver approves or denies the current step. The request row is
 * locked for the decision, so of many concurrent decisions on one step the
 * first wins and the rest see a finished step (CONFLICT); the unique
 * (request, step) decision index backs this up.
 */
export async function decideRequest(
  deps: RequestDeps,
  viewer: Viewer,
  input: DecisionInput,
  outcome: 'APPROVED' | 'DENIED',
): Promise<AppRequest> {
  const comment = assertText(input.comment, 'input.comment', { max: 1_000 });

  const events = await inTransaction(deps.prisma, async (tx) => {
    if (!(await lockRequestRow(tx, input.requestId))) {
      throw new NotFoundError('no access request has this ID', 'input.requestId');
    }
    const request = (await loadRequest(tx, input.requestId))!;
    if (request.status !== 'PENDING' || request.currentPosition === null) {
      throw new ConflictError(`this request is already ${request.status.toLowerCase()}`);
    }
    if (!(await mayDecide(tx, request, viewer))) {
      throw new ForbiddenError(
        viewer.id === request.requesterId
          ? 'you cannot decide on your own request'
          : 'you are not an approver of the current step of this request',
      );
    }

    const t = newTransition(tx, deps, viewer.id);
    await tx.approvalDecision.create({
      data: {
        requestId: request.id,
        position: request.currentPosition,
        stepId: request.currentStepId,
        approverId: viewer.id,
        outcome,
        comment,
        decidedAt: t.now,
      },
    });

    if (outcome === 'DENIED') {
      await finishEnded(t, request, {
        status: 'DENIED',
        event: 'DENIED',
        notification: 'REQUEST_DENIED',
        notifyAppRecipients: true,
        comment,
        decidedBy: viewer,
        data: { position: request.currentPosition },
      });
      return t.events;
    }

    await completeStep(t, request, {}, comment);

    return t.events;
  }).catch((error: unknown) => {
    if (isUniqueViolation(error)) {
      throw new ConflictError('this step has already been decided');
    }
    throw error;
  });
  deps.announce(events.ids);

  return deps.prisma.appRequest.findUniqueOrThrow({ where: { id: input.requestId } });
}
