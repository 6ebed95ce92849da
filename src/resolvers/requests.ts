import type { AuthenticatedContext } from '../context';
import type { AppRequest, AppSuggestion } from '../generated/prisma/client';
import { parseGlobalId } from '../schema/global-id';
import { cancelRequest } from '../services/requests/cancel';
import { decideRequest } from '../services/requests/decide';
import type { RequestDeps } from '../services/requests/deps';
import { deleteRequest, overrideRequest, resendNotification } from '../services/requests/admin';
import { requestApp } from '../services/requests/request-app';
import { suggestApp } from '../services/requests/suggest';

/*
 * The glue between the request mutations and the services: decode global
 * IDs (refusing IDs of other types with INVALID_INPUT naming the field) and
 * hand over. Authorization of who may call each mutation is on the schema
 * field; the services decide who may act on which request.
 */

function depsOf(context: AuthenticatedContext): RequestDeps {
  return {
    prisma: context.prisma,
    config: context.config,
    log: context.log,
    announce: context.announce,
  };
}

const requestIdOf = (value: string) => parseGlobalId(value, 'AppRequest', 'input.requestId');

export function resolveRequestApp(
  input: { appId: string; justification?: string | null; idempotencyKey?: string | null },
  context: AuthenticatedContext,
): Promise<AppRequest> {
  return requestApp(depsOf(context), context.viewer, {
    ...input,
    appId: parseGlobalId(input.appId, 'AppIntegration', 'input.appId'),
  });
}

export function resolveCancelRequest(
  input: { requestId: string },
  context: AuthenticatedContext,
): Promise<AppRequest> {
  return cancelRequest(depsOf(context), context.viewer, requestIdOf(input.requestId));
}

export function resolveDecision(outcome: 'APPROVED' | 'DENIED') {
  return (input: { requestId: string; comment?: string | null }, context: AuthenticatedContext) =>
    decideRequest(
      depsOf(context),
      context.viewer,
      { requestId: requestIdOf(input.requestId), comment: input.comment },
      outcome,
    );
}

export function resolveOverrideRequest(
  input: { requestId: string; comment?: string | null },
  context: AuthenticatedContext,
): Promise<AppRequest> {
  return overrideRequest(depsOf(context), context.viewer, {
    requestId: requestIdOf(input.requestId),
    comment: input.comment,
  });
}

export function resolveDeleteRequest(
  input: { requestId: string; reason: string },
  context: AuthenticatedContext,
): Promise<AppRequest> {
  return deleteRequest(depsOf(context), context.viewer, {
    requestId: requestIdOf(input.requestId),
    reason: input.reason,
  });
}

export function resolveResendNotification(
  input: { requestId: string },
  context: AuthenticatedContext,
): Promise<AppRequest> {
  return resendNotification(depsOf(context), context.viewer, {
    requestId: requestIdOf(input.requestId),
  });
}

export function resolveSuggestApp(
  input: { name: string; url: string; note?: string | null },
  context: AuthenticatedContext,
): Promise<AppSuggestion> {
  return suggestApp(depsOf(context), context.viewer, input);
}
