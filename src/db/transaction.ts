import type { Prisma, PrismaClient } from '../generated/prisma/client';

export type Tx = Prisma.TransactionClient;

/**
 * Runs `work` in one interactive transaction. The waits are generous because
 * PGlite has a single connection: under a burst of concurrent decisions each
 * transaction queues for it, and a short maxWait would turn that queue into
 * spurious failures.
 */
export function inTransaction<T>(prisma: PrismaClient, work: (tx: Tx) => Promise<T>): Promise<T> {
  return prisma.$transaction(work, { maxWait: 30_000, timeout: 30_000 });
}

/**
 * Locks one request row until the transaction ends, so concurrent decisions
 * on the same request run one after another and each sees the state the
 * previous one left. Returns false when no such request exists.
 */
export async function lockRequestRow(tx: Tx, requestId: string): Promise<boolean> {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM app_requests WHERE id = ${requestId}::uuid FOR UPDATE`;

  return rows.length > 0;
}
