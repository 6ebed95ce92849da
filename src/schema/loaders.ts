import DataLoader from 'dataloader';

import type { PrismaClient } from '../generated/prisma/client';

/**
 * Per-operation DataLoaders for what the Prisma plugin's relation planning
 * cannot batch: computed values across many parents.
 */
export interface Loaders {
  /** The ids of the groups a user belongs to. */
  groupIdsOfUser: DataLoader<string, string[]>;
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
  };
}
