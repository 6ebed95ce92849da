import type { AppRequest } from '../../generated/prisma/client';
import { inTransaction } from '../../db/transaction';
import { ConflictError, DisabledError, ForbiddenError, NotFoundError } from '../errors';
import { enqueueNotification } from '../notifications/outbox';
import { getOrgSettings } from '../settings';
import { isUniqueViolation, type Viewer } from '../users';
import { assertText } from '../validate';
import type { RequestDeps } from './deps';
import type { EventLog } from './events';
import { beginStep, finishApproved, loadRequest, newTransition, requestValues } from './workflow';

export interface RequestAppInput {
  appId: string;
  justification?: string | null;
  /** A client's key for retries: the same key returns the first request. */
  idempotencyKey?: string | null;
}

async function findByKey(
  deps: RequestDeps,
  viewer: Viewer,
  key: string,
): Promise<AppRequest | null> {
  return deps.prisma.appRequest.findUnique({
    where: { requesterId_idempotencyKey: { requesterId: viewer.id, idempotencyKey: key } },
  });
}

/**
 * An end user asks for an app. Without approval the app is assigned at once
 * (the request is recorded as approved); otherwise the request waits at
 * step 1. Retrying with the same idempotency key returns the first request.
 */
export async function requestApp(
  deps: RequestDeps,
  viewer: Viewer,
  input: RequestAppInput,
): Promise<AppRequest> {
  const justification = assertText(input.justification, 'input.justification', { max: 1_000 });
  const key = assertText(input.idempotencyKey, 'input.idempotencyKey', { max: 200 });

  if (key) {
    const earlier = await findByKey(deps, viewer, key);
    if (earlier) {
      return earlier;
    }
  }

  let events: EventLog | undefined;
  try {
    const request = await inTransaction(deps.prisma, async (tx) => {
      const settings = await getOrgSettings(tx);
      if (!settings.userAppRequestsEnabled) {
        throw new DisabledError('app requests are turned off for this org');
      }

      const app = await tx.appIntegration.findUnique({ where: { id: input.appId } });
      if (!app || !app.active) {
        throw new NotFoundError('no app integration has this ID', 'input.appId');
      }
      if (!app.requestable) {
        throw new ForbiddenError(`${app.label} is not open to access requests`);
      }

      const assigned = await tx.appAssignment.findUnique({
        where: { appId_userId: { appId: app.id, userId: viewer.id } },
      });
      if (assigned && assigned.provisioningStatus !== 'DEPROVISIONED') {
        throw new ConflictError(`you already have ${app.label}`);
      }
      const pending = await tx.appRequest.findFirst({
        where: { appId: app.id, requesterId: viewer.id, status: 'PENDING' },
        select: { id: true },
      });
      if (pending) {
        throw new ConflictError(`you already have a pending request for ${app.label}`);
      }

      const created = await tx.appRequest.create({
        data: {
          appId: app.id,
          requesterId: viewer.id,
          justification,
          idempotencyKey: key,
        },
      });
      const request = (await loadRequest(tx, created.id))!;
      const t = newTransition(tx, deps, viewer.id);
      events = t.events;

      await t.events.append({
        requestId: request.id,
        type: 'CREATED',
        actorId: viewer.id,
        requesterId: viewer.id,
        data: { approvalRequired: app.approvalRequired },
      });
      if (!app.approvalRequired) {
        await finishApproved(t, request, 'SELF_SERVICE', { approvalRequired: false });
      } else {
        await enqueueNotification(tx, {
          event: 'REQUEST_SUBMITTED',
          recipients: [viewer.email],
          values: requestValues(request),
          requestId: request.id,
        });
        await beginStep(t, request, 1);
      }

      return tx.appRequest.findUniqueOrThrow({ where: { id: request.id } });
    });
    deps.announce(events?.ids ?? []);

    return request;
  } catch (error) {
    if (!isUniqueViolation(error)) {
      throw error;
    }

    // A concurrent call won the race: with the same key, return its request;
    // otherwise the one-pending-request index refused a duplicate.
    const earlier = key ? await findByKey(deps, viewer, key) : null;
    if (earlier) {
      return earlier;
    }
    throw new ConflictError('you already have a pending request for this app');
  }
}
