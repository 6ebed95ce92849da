import { AppRequestStatus, DecisionOutcome, RequestEventType } from '../generated/prisma/enums';
import { currentApprovers } from '../services/requests/approvers';
import { canSeeRequest } from '../services/requests/visibility';
import { builder } from './builder';

/*
 * Access requests as clients see them: status, the step waiting for a
 * decision and who may take it, the decisions so far, and the full
 * timeline, which stays after the request ends.
 */

export const AppRequestStatusEnum = builder.enumType(AppRequestStatus, {
  name: 'AppRequestStatus',
});

export const AppRequestEventTypeEnum = builder.enumType(RequestEventType, {
  name: 'AppRequestEventType',
});

export const ApprovalOutcomeEnum = builder.enumType(DecisionOutcome, {
  name: 'ApprovalOutcome',
  description:
    'How a step ended: by an approver, by its timeout action, or skipped by an override.',
});

export const AppRequestRef = builder.prismaNode('AppRequest', {
  id: { field: 'id' },
  // node(id:) answers null for an ID that finds nothing.
  nullable: true,
  // The type is guarded as a whole, so `node(id:)` and every list obey it.
  authScopes: async (request, context) => {
    if (!context.viewer) {
      return false;
    }
    const [groupIds, participants] = await Promise.all([
      context.loaders.groupIdsOfUser.load(context.viewer.id),
      context.loaders.participantsOfRequest.load(request.id),
    ]);

    return canSeeRequest(context.viewer, request, groupIds, participants);
  },
  fields: (t) => ({
    app: t.relation('app'),
    requester: t.relation('requester'),
    justification: t.exposeString('justification', { nullable: true }),
    status: t.expose('status', { type: AppRequestStatusEnum }),
    currentStep: t.relation('currentStep', {
      nullable: true,
      description: 'The step waiting for a decision; null once the request has ended.',
    }),
    currentStepNumber: t.exposeInt('currentPosition', {
      nullable: true,
      description: '1-based position of the step waiting for a decision.',
    }),
    currentApprovers: t.prismaField({
      type: ['User'],
      description: 'Who may decide the current step now (never the requester).',
      resolve: async (query, request, _args, context) => {
        const people = await currentApprovers(context.prisma, request, context.config.adminEmails);
        return context.prisma.user.findMany({
          ...query,
          where: { id: { in: people.map((person) => person.id) } },
          orderBy: { email: 'asc' },
        });
      },
    }),
    stepDeadline: t.expose('stepDeadline', {
      type: 'DateTime',
      nullable: true,
      description: "When the current step's timeout action applies.",
    }),
    escalated: t.exposeBoolean('escalated'),
    endReason: t.exposeString('endReason', { nullable: true }),
    decisions: t.relation('decisions', {
      query: { orderBy: [{ position: 'asc' }, { decidedAt: 'asc' }] },
    }),
    timeline: t.relation('events', {
      description: 'Every event of the request, oldest first, with actor and time.',
      query: { orderBy: { id: 'asc' } },
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    resolvedAt: t.expose('resolvedAt', { type: 'DateTime', nullable: true }),
  }),
});

builder.prismaObject('ApprovalDecision', {
  fields: (t) => ({
    step: t.exposeInt('position', { description: '1-based position of the decided step.' }),
    approver: t.relation('approver', {
      nullable: true,
      description: 'Null when a timeout decided.',
    }),
    decision: t.expose('outcome', { type: ApprovalOutcomeEnum }),
    comment: t.exposeString('comment', { nullable: true }),
    decidedAt: t.expose('decidedAt', { type: 'DateTime' }),
  }),
});

builder.prismaObject('RequestEvent', {
  name: 'AppRequestTimelineEvent',
  fields: (t) => ({
    cursor: t.string({
      description: 'The event id in the durable log; subscriptions resume after it.',
      resolve: (event) => event.id.toString(),
    }),
    type: t.expose('type', { type: AppRequestEventTypeEnum }),
    actor: t.relation('actor', { nullable: true, description: 'Null when the system acted.' }),
    data: t.expose('data', { type: 'JSON' }),
    at: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

export const AppSuggestionRef = builder.prismaNode('AppSuggestion', {
  id: { field: 'id' },
  // node(id:) answers null for an ID that finds nothing.
  nullable: true,
  authScopes: (suggestion, context) =>
    context.viewer?.id === suggestion.userId ? true : { admin: true },
  fields: (t) => ({
    name: t.exposeString('name'),
    url: t.expose('url', { type: 'URL' }),
    note: t.exposeString('note', { nullable: true }),
    suggestedBy: t.relation('user'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});
