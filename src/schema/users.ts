import { builder } from './builder';

/*
 * People and groups. Everyone signed in may see who a user or group is (an
 * approver's name and address on a request, say); group memberships are for
 * administrators and the person.
 */

export const UserRef = builder.prismaNode('User', {
  id: { field: 'id' },
  // node(id:) answers null for an ID that finds nothing.
  nullable: true,
  authScopes: { authenticated: true },
  fields: (t) => ({
    // Work e-mail addresses are directory information inside an org: a
    // requester sees who approves, an approver sees who asks.
    email: t.expose('email', { type: 'EmailAddress' }),
    name: t.exposeString('name', { nullable: true }),
    isAdmin: t.boolean({
      resolve: (user, _args, context) => user.isAdmin || context.config.adminEmails.has(user.email),
    }),
    groups: t.prismaField({
      type: ['Group'],
      authScopes: (user, _args, context) =>
        context.viewer?.id === user.id ? true : { admin: true },
      resolve: (query, user, _args, context) =>
        context.prisma.group.findMany({
          ...query,
          where: { memberships: { some: { userId: user.id } } },
          orderBy: { name: 'asc' },
        }),
    }),
  }),
});

export const GroupRef = builder.prismaNode('Group', {
  id: { field: 'id' },
  // node(id:) answers null for an ID that finds nothing.
  nullable: true,
  authScopes: { authenticated: true },
  fields: (t) => ({
    name: t.exposeString('name'),
    description: t.exposeString('description', { nullable: true }),
    members: t.relatedConnection('memberships', {
      authScopes: { admin: true },
      cursor: 'groupId_userId',
      query: { orderBy: { createdAt: 'asc' } },
      totalCount: true,
    }),
  }),
});

builder.prismaObject('GroupMembership', {
  fields: (t) => ({
    user: t.relation('user'),
    addedAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

builder.queryField('viewer', (t) =>
  t.prismaField({
    type: 'User',
    description: 'The signed-in user.',
    authScopes: { authenticated: true },
    resolve: (query, _root, _args, context) =>
      context.prisma.user.findUniqueOrThrow({ ...query, where: { id: context.viewer!.id } }),
  }),
);
