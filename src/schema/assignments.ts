import { AssignmentSource, ProvisioningStatus } from '../generated/prisma/enums';
import { builder } from './builder';

/*
 * What a user has: an app assigned to them, however it happened, and the
 * state of their account in the app. The viewer's dashboard lists these.
 */

export const AssignmentSourceEnum = builder.enumType('AssignmentSource', {
  description: 'How the app came to be assigned.',
  values: Object.values(AssignmentSource),
});

export const ProvisioningStatusEnum = builder.enumType('ProvisioningStatus', {
  description: "The user's account in the app, where the app is provisioned over SCIM.",
  values: Object.values(ProvisioningStatus),
});

export const AppAssignmentRef = builder.prismaNode('AppAssignment', {
  id: { field: 'id' },
  authScopes: (assignment, context) =>
    context.viewer?.id === assignment.userId || context.viewer?.isAdmin === true,
  // As for personal apps: node(id:) of someone else's assignment finds
  // nothing rather than confirming that it exists.
  findUnique: (id, context) =>
    context.viewer?.isAdmin ? { id } : { id, userId: context.viewer?.id ?? '' },
  // node(id:) answers null, not an error, for an ID that finds nothing.
  nullable: true,
  fields: (t) => ({
    app: t.relation('app'),
    user: t.relation('user'),
    source: t.expose('source', { type: AssignmentSourceEnum }),
    assignedAt: t.expose('assignedAt', { type: 'DateTime' }),
    provisioningStatus: t.expose('provisioningStatus', { type: ProvisioningStatusEnum }),
    externalId: t.exposeString('externalId', {
      nullable: true,
      description: "The user's id in the app, once provisioned.",
    }),
    lastError: t.exposeString('lastError', {
      nullable: true,
      description: 'Why provisioning last failed.',
    }),
  }),
});

builder.queryField('myApps', (t) =>
  t.prismaField({
    type: ['AppAssignment'],
    description: "The viewer's dashboard: the apps assigned to them, by label.",
    authScopes: { authenticated: true },
    resolve: (query, _root, _args, context) =>
      context.prisma.appAssignment.findMany({
        ...query,
        where: { userId: context.viewer!.id },
        orderBy: [{ app: { label: 'asc' } }, { assignedAt: 'asc' }],
      }),
  }),
);
