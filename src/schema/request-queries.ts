import type { AppRequestStatus, Prisma } from '../generated/prisma/client';
import { approvalQueueWhere } from '../services/requests/visibility';
import { builder } from './builder';
import { parseOptionalGlobalId } from './global-id';
import { AppRequestStatusEnum } from './requests';

const newestFirst = [{ createdAt: 'desc' as const }, { id: 'desc' as const }];

/** The administrators' filters of appRequests; a bad appId is INVALID_INPUT. */
function adminFilter(args: {
  status?: AppRequestStatus | null;
  appId?: string | number | null;
}): Prisma.AppRequestWhereInput {
  return {
    ...(args.status && { status: args.status }),
    ...(args.appId && {
      appId: parseOptionalGlobalId(String(args.appId), 'AppIntegration', 'appId')!,
    }),
  };
}

builder.queryFields((t) => ({
  myRequests: t.prismaConnection({
    type: 'AppRequest',
    cursor: 'id',
    description: 'Requests the viewer made, newest first.',
    authScopes: { authenticated: true },
    args: { status: t.arg({ type: AppRequestStatusEnum }) },
    totalCount: (_parent, args, context) =>
      context.prisma.appRequest.count({
        where: { requesterId: context.viewer!.id, ...(args.status && { status: args.status }) },
      }),
    resolve: (query, _root, args, context) =>
      context.prisma.appRequest.findMany({
        ...query,
        where: { requesterId: context.viewer!.id, ...(args.status && { status: args.status }) },
        orderBy: newestFirst,
      }),
  }),

  approvalQueue: t.prismaConnection({
    type: 'AppRequest',
    cursor: 'id',
    description: "Requests waiting for the viewer's decision now, longest waiting first.",
    authScopes: { authenticated: true },
    totalCount: async (_parent, _args, context) => {
      const groupIds = await context.loaders.groupIdsOfUser.load(context.viewer!.id);
      return context.prisma.appRequest.count({
        where: approvalQueueWhere(context.viewer!, groupIds),
      });
    },
    resolve: async (query, _root, _args, context) => {
      const groupIds = await context.loaders.groupIdsOfUser.load(context.viewer!.id);
      return context.prisma.appRequest.findMany({
        ...query,
        where: approvalQueueWhere(context.viewer!, groupIds),
        orderBy: [{ stepStartedAt: 'asc' }, { id: 'asc' }],
      });
    },
  }),

  appRequests: t.prismaConnection({
    type: 'AppRequest',
    cursor: 'id',
    description: 'Administrators: every request, newest first, with its current step.',
    authScopes: { admin: true },
    args: {
      status: t.arg({ type: AppRequestStatusEnum }),
      appId: t.arg.id(),
    },
    totalCount: (_parent, args, context) =>
      context.prisma.appRequest.count({ where: adminFilter(args) }),
    resolve: (query, _root, args, context) =>
      context.prisma.appRequest.findMany({
        ...query,
        where: adminFilter(args),
        orderBy: newestFirst,
      }),
  }),
}));
