import type { Tx } from '../db/transaction';
import type { AppIntegration, Prisma, TimeoutAction } from '../generated/prisma/client';
import { changeApp, type AppChangeDeps } from './app-changes';
import { InvalidInputError, NotFoundError } from './errors';
import { assertDuration, assertText } from './validate';

/*
 * An app's approval workflow: the ordered chain of steps a request passes,
 * each decided by one user or by any member of one group. A chain is always
 * replaced whole, so no request ever sees half of an old chain and half of
 * a new one.
 */

/** The most steps one chain may have. */
export const MAX_APPROVAL_STEPS = 10;

/** One step as the caller names it, with database ids already decoded. */
export interface ApprovalStepSpec {
  approverUserId?: string | null;
  approverGroupId?: string | null;
  /** ISO-8601 duration; absent or null uses the org's default window. */
  timeout?: string | null;
  /** @default 'EXPIRE' */
  timeoutAction?: TimeoutAction | null;
  /** Required with ESCALATE, refused with any other action. */
  escalateToUserId?: string | null;
  notificationMessage?: string | null;
}

type StepRow = Omit<Prisma.ApprovalStepCreateManyInput, 'appId'>;

/** Checks one step on its own; returns the row to store, without the app. */
function checkStep(step: ApprovalStepSpec, index: number): StepRow {
  const field = `input.steps.${index}`;
  const approverUserId = step.approverUserId ?? null;
  const approverGroupId = step.approverGroupId ?? null;
  if ((approverUserId === null) === (approverGroupId === null)) {
    throw new InvalidInputError(
      field,
      `${field} must name exactly one of approverUserId and approverGroupId`,
    );
  }

  const timeoutAction = step.timeoutAction ?? 'EXPIRE';
  const escalateToUserId = step.escalateToUserId ?? null;
  if (timeoutAction === 'ESCALATE' && escalateToUserId === null) {
    throw new InvalidInputError(
      `${field}.escalateToUserId`,
      `${field}.escalateToUserId is required when timeoutAction is ESCALATE`,
    );
  }
  if (timeoutAction !== 'ESCALATE' && escalateToUserId !== null) {
    throw new InvalidInputError(
      `${field}.escalateToUserId`,
      `${field}.escalateToUserId is only allowed when timeoutAction is ESCALATE, ` +
        `got ${timeoutAction}`,
    );
  }
  if (escalateToUserId !== null && escalateToUserId === approverUserId) {
    throw new InvalidInputError(
      `${field}.escalateToUserId`,
      `${field}.escalateToUserId must name someone other than the step's own approver`,
    );
  }

  return {
    position: index + 1,
    approverUserId,
    approverGroupId,
    timeout: step.timeout == null ? null : assertDuration(step.timeout, `${field}.timeout`),
    timeoutAction,
    escalateToUserId,
    notificationMessage: assertText(step.notificationMessage, `${field}.notificationMessage`, {
      max: 2_000,
    }),
  };
}

/**
 * Checks a whole chain without touching the database: its length, each
 * step, and that no user or group approves twice.
 *
 * @throws InvalidInputError naming the first offending field, such as `input.steps.2.timeout`.
 */
export function checkApprovalChain(steps: readonly ApprovalStepSpec[]): StepRow[] {
  if (steps.length > MAX_APPROVAL_STEPS) {
    throw new InvalidInputError(
      'input.steps',
      `input.steps may hold at most ${MAX_APPROVAL_STEPS} steps, got ${steps.length}`,
    );
  }

  const rows = steps.map(checkStep);

  const seen = new Set<string>();
  rows.forEach((row, index) => {
    const [key, name] = row.approverUserId
      ? [`user:${row.approverUserId}`, 'approverUserId']
      : [`group:${row.approverGroupId}`, 'approverGroupId'];
    if (seen.has(key)) {
      const field = `input.steps.${index}.${name}`;
      throw new InvalidInputError(field, `${field} already approves an earlier step of this chain`);
    }
    seen.add(key);
  });

  return rows;
}

/** Refuses ids of users or groups that do not exist, naming the first such field. */
async function assertApproversExist(tx: Tx, rows: readonly StepRow[]): Promise<void> {
  const userIds = rows.flatMap((row) => [row.approverUserId, row.escalateToUserId]);
  const groupIds = rows.map((row) => row.approverGroupId);
  const wantedUsers = userIds.filter((id): id is string => Boolean(id));
  const wantedGroups = groupIds.filter((id): id is string => Boolean(id));

  // One after the other: a transaction runs on one connection anyway.
  const users = await tx.user.findMany({
    where: { id: { in: wantedUsers } },
    select: { id: true },
  });
  const groups = await tx.group.findMany({
    where: { id: { in: wantedGroups } },
    select: { id: true },
  });
  const known = new Set([...users, ...groups].map((row) => row.id));

  rows.forEach((row, index) => {
    const fields = [
      ['approverUserId', row.approverUserId, 'user'],
      ['approverGroupId', row.approverGroupId, 'group'],
      ['escalateToUserId', row.escalateToUserId, 'user'],
    ] as const;
    for (const [name, id, kind] of fields) {
      if (id && !known.has(id)) {
        const field = `input.steps.${index}.${name}`;
        throw new NotFoundError(`${field} names no ${kind}`, field);
      }
    }
  });
}

/**
 * Replaces an app's whole approval chain (an empty list removes it) and
 * ends the app's pending requests, which were waiting on the old chain.
 *
 * @throws InvalidInputError for a rule the chain breaks; NotFoundError for an unknown app,
 * user or group, naming its field.
 */
export async function setApprovalWorkflow(
  deps: AppChangeDeps,
  input: { appId: string; steps: readonly ApprovalStepSpec[] },
  actorId: string,
): Promise<AppIntegration> {
  const rows = checkApprovalChain(input.steps);

  return changeApp(deps, { appId: input.appId, actorId }, async (tx, app, closeRequests) => {
    await assertApproversExist(tx, rows);

    // The old chain's pending requests end first, while their steps still exist.
    await closeRequests(
      `Access requests for ${app.label} were closed: its approval workflow was replaced; ` +
        'request the app again if you still need it.',
    );

    await tx.approvalStep.deleteMany({ where: { appId: app.id } });
    await tx.approvalStep.createMany({ data: rows.map((row) => ({ ...row, appId: app.id })) });

    return tx.appIntegration.update({ where: { id: app.id }, data: { updatedAt: new Date() } });
  });
}
