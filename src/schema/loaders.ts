import DataLoader from 'dataloader';

import type { PrismaClient } from '../generated/prisma/client';

/**
 * Per-operation DataLoaders for what the Prisma plugin's relation planning
 * cannot batch: computed values across many parents.
 *
 * They batch but do not cache: a subscription keeps one context for its
 * whole life, and a cached group membership or participant list would go
 * stale between its events.
 */
export interface Loaders {
  /** The ids of the groups a user belongs to. */
  groupIdsOfUser: DataLoader<string, string[]>;
  /**
   * The ids of everyone who took part in a request: the requester, everyone
   * whose approval queue it entered, and everyone who decided a step.
   */
  participantsOfRequest: DataLoader<string, string[]>;
}

function groupBy<Row>(rows: Row[], key: (row: Row) => string, value: (row: Row) => string[]) {
  const grouped = new Map<string, Set<string>>();
  for (const row of rows) {
    const set = grouped.get(key(row)) ?? new Set<string>();
    value(row).forEach((item) => set.add(item));
    grouped.set(key(row), set);
  }

  return (id: string) => [...(grouped.get(id) ?? [])];
}

export function createLoaders(prisma: PrismaClient): Loaders {
  return {
    groupIdsOfUser: new DataLoader(
      async (userIds) => {
        const rows = await prisma.groupMembership.findMany({
          where: { userId: { in: [...userIds] } },
          select: { userId: true, groupId: true },
        });
        const of = groupBy(
          rows,
          (row) => row.userId,
          (row) => [row.groupId],
        );

        return userIds.map(of);
      },
      { cache: false },
    ),
    participantsOfRequest: new DataLoader(
      async (requestIds) => {
        const [events, decisions] = await Promise.all([
          prisma.requestEvent.findMany({
            where: { requestId: { in: [...requestIds] } },
            select: { requestId: true, audience: true },
          }),
          prisma.approvalDecision.findMany({
            where: { requestId: { in: [...requestIds] }, approverId: { not: null } },
            select: { requestId: true, approverId: true },
          }),
        ]);
        const fromEvents = groupBy(
          events,
          (row) => row.requestId,
          (row) => row.audience,
        );
        const fromDecisions = groupBy(
          decisions,
          (row) => row.requestId,
          (row) => [row.approverId!],
        );

        return requestIds.map((id) => [...new Set([...fromEvents(id), ...fromDecisions(id)])]);
      },
      { cache: false },
    ),
  };
}
