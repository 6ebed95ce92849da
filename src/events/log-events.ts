import type { Prisma, PrismaClient, RequestEventType } from '../generated/prisma/client';

/** One entry of the request event log, as subscriptions see it. */
export interface LogEvent {
  id: bigint;
  requestId: string;
  requesterId: string;
  type: RequestEventType;
  /** Whose approval queue the request entered or left with this event. */
  queueEntered: string[];
  queueLeft: string[];
}

function idList(value: unknown): string[] {
  return Array.isArray(value)
    ? value.filter((item): item is string => typeof item === 'string')
    : [];
}

/** Reads log events after `afterId`, oldest first. */
export async function readEvents(
  prisma: PrismaClient,
  options: { afterId: bigint; where?: Prisma.RequestEventWhereInput; limit: number },
): Promise<LogEvent[]> {
  const rows = await prisma.requestEvent.findMany({
    where: { ...options.where, id: { gt: options.afterId } },
    orderBy: { id: 'asc' },
    take: options.limit,
    select: {
      id: true,
      requestId: true,
      type: true,
      data: true,
      request: { select: { requesterId: true } },
    },
  });

  return rows.map((row) => {
    const data = (row.data ?? {}) as Record<string, unknown>;

    return {
      id: row.id,
      requestId: row.requestId,
      requesterId: row.request.requesterId,
      type: row.type,
      queueEntered: idList(data.queueEntered),
      queueLeft: idList(data.queueLeft),
    };
  });
}

/** The newest event id, or 0 for an empty log. */
export async function latestEventId(prisma: PrismaClient): Promise<bigint> {
  const newest = await prisma.requestEvent.findFirst({
    orderBy: { id: 'desc' },
    select: { id: true },
  });

  return newest?.id ?? 0n;
}
