import { resolveOffsetConnection } from '@pothos/plugin-relay';

import type { AuthenticatedContext, Context } from '../context';
import {
  addPersonalApp,
  assertPersonalAppsAllowed,
  countUserAddedApplications,
  listUserAddedApplications,
  removePersonalApp,
  type UserAddedApplication,
} from '../services/personal-apps';
import { builder } from './builder';
import { parseGlobalId } from './global-id';
import { defineMutation } from './mutation';

/*
 * Personal apps are private to their owner. Administrators may see them
 * (the org report below groups them), nobody else, whichever way a client
 * reaches one: the viewer's list, a mutation payload or `node(id:)`.
 */

function ownsOrAdmin(userId: string, context: Context): boolean {
  return context.viewer?.id === userId || context.viewer?.isAdmin === true;
}

export const PersonalAppRef = builder.prismaNode('PersonalApp', {
  id: { field: 'id' },
  authScopes: (app, context) => ownsOrAdmin(app.userId, context),
  // node(id:) of someone else's app finds nothing, exactly as for an ID
  // that never existed, instead of answering FORBIDDEN and so confirming it.
  findUnique: (id, context) =>
    context.viewer?.isAdmin ? { id } : { id, userId: context.viewer?.id ?? '' },
  // node(id:) answers null, not an error, for an ID that finds nothing.
  nullable: true,
  fields: (t) => ({
    name: t.exposeString('name'),
    url: t.expose('url', { type: 'URL' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

builder.queryField('myPersonalApps', (t) =>
  t.prismaField({
    type: ['PersonalApp'],
    description: "The viewer's personal apps, newest first. DISABLED while they are turned off.",
    authScopes: { authenticated: true },
    resolve: async (query, _root, _args, context) => {
      await assertPersonalAppsAllowed(context.prisma);

      return context.prisma.personalApp.findMany({
        ...query,
        where: { userId: context.viewer!.id },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      });
    },
  }),
);

const AddPersonalAppInput = builder.inputType('AddPersonalAppInput', {
  fields: (t) => ({
    name: t.string({ required: true, description: 'At most 100 characters.' }),
    url: t.string({ required: true, description: 'An http or https URL.' }),
  }),
});

defineMutation({
  name: 'addPersonalApp',
  description: "Add a link to the viewer's dashboard, when the org allows personal apps.",
  scope: 'authenticated',
  input: AddPersonalAppInput,
  payloadField: 'personalApp',
  payloadType: PersonalAppRef,
  resolve: (input, context: AuthenticatedContext) =>
    addPersonalApp(context.prisma, context.viewer.id, input),
});

const RemovePersonalAppInput = builder.inputType('RemovePersonalAppInput', {
  fields: (t) => ({
    id: t.id({ required: true, description: "One of the viewer's personal apps." }),
  }),
});

defineMutation({
  name: 'removePersonalApp',
  description: "Remove one of the viewer's personal apps.",
  scope: 'authenticated',
  input: RemovePersonalAppInput,
  payloadField: 'personalApp',
  payloadType: PersonalAppRef,
  resolve: (input, context) =>
    removePersonalApp(
      context.prisma,
      context.viewer.id,
      parseGlobalId(String(input.id), 'PersonalApp', 'input.id'),
    ),
});

const UserAddedApplicationRef = builder
  .objectRef<UserAddedApplication>('UserAddedApplication')
  .implement({
    description: 'Personal apps of the same name and URL, across the org.',
    fields: (t) => ({
      name: t.exposeString('name'),
      url: t.expose('url', { type: 'URL' }),
      userCount: t.exposeInt('userCount', { description: 'How many people added it.' }),
    }),
  });

builder.queryField('userAddedApplications', (t) =>
  t.connection(
    {
      type: UserAddedApplicationRef,
      description: 'Administrators: personal apps grouped by name and URL, most used first.',
      authScopes: { admin: true },
      resolve: async (_root, args, context) => {
        const totalCount = await countUserAddedApplications(context.prisma);

        return resolveOffsetConnection({ args, totalCount }, (page) =>
          listUserAddedApplications(context.prisma, page),
        );
      },
    },
    {
      fields: (connection) => ({
        totalCount: connection.int({
          // resolveOffsetConnection adds totalCount to the connection it
          // returns; the connection type's parent shape does not know that.
          resolve: (parent) => (parent as typeof parent & { totalCount: number }).totalCount,
        }),
      }),
    },
  ),
);
