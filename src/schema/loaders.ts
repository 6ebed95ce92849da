import DataLoader from 'dataloader';

import type { PrismaClient } from '../generated/prisma/client';

/**
 * Per-operation DataLoaders for what the Prisma plugin's relation planning
 * cannot batch: computed values across many parents.
 */
export interface Loaders {
  /** The ids of the groups a user belongs to. */
  groupIdsOfUser: DataLoader<string, string[]>;
  /** The ids of the people who decided a step of a request. */
  decidersOfRequest: DataLoader<string, string[]>;
}

export function createLoaders(prisma: PrismaClient): Loaders {
  return {
    groupIdsOfUser: new DataLoader(async (userIds) => {
      const rows = await prisma.groupMembership.findMany({
        where: { userId: { in: [...userIds] } },
        select: { userId: true, groupId: true },
      });
      const byUser = new Map<string, string[]>();
      for (const row of rows) {
        byUser.set(row.userId, [...(byUser.get(row.userId) ?? []), row.groupId]);
      }

      return userIds.map((id) => byUser.get(id) ?? []);
    }),
    decidersOfRequest: new DataLoader(async (requestIds) => {
      const rows = await prisma.approvalDecision.findMany({
        where: { requestId: { in: [...requestIds] }, approverId: { not: null } },
        select: { requestId: true, approverId: true },
      });
      const byRequest = new Map<string, string[]>();
      for (const row of rows) {
        byRequest.set(row.requestId, [...(byRequest.get(row.requestId) ?? []), row.approverId!]);
      }

      return requestIds.map((id) => byRequest.get(id) ?? []);
    }),
  };
}
