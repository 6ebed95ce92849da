import { randomUUID } from 'node:crypto';

import { encodeGlobalID } from '@pothos/plugin-relay';

import type { PrismaClient } from '../../src/generated/prisma/client';

/** One subscriber: a member of one approver group. */
export interface Member {
  index: number;
  id: string;
  email: string;
  group: number;
}

/** What the bench created, with the IDs the API needs. */
export interface BenchData {
  members: Member[];
  /** Members by group index. */
  groups: Member[][];
  /** Global IDs of the one app per group, whose single step is that group. */
  appIds: string[];
  /** E-mails of the users who request apps, one per decision cycle. */
  requesters: string[];
  /** The user whose requests prove every subscription is live. */
  warmupRequester: string;
  /**
   * Database ids of one pending request per group, written without
   * notifications; cancelling one sends LEFT to every member of its group.
   */
  warmupRequestIds: string[];
}

// createMany sends one INSERT per chunk; PostgreSQL allows 65,535 parameters.
const CHUNK = 5_000;

async function inChunks<T>(rows: T[], write: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let start = 0; start < rows.length; start += CHUNK) {
    await write(rows.slice(start, start + CHUNK));
  }
}

/**
 * Writes `memberCount` users spread round-robin over `groupCount` groups,
 * one requestable app per group with that group as its only approval step,
 * and `requesterCount` requesters who belong to no group. Straight to the
 * database: the API under test is the subscription, not user administration.
 */
export async function seedBenchData(
  prisma: PrismaClient,
  options: { memberCount: number; groupCount: number; requesterCount: number },
): Promise<BenchData> {
  const groupIds = Array.from({ length: options.groupCount }, () => randomUUID());
  const members: Member[] = Array.from({ length: options.memberCount }, (_, index) => ({
    index,
    id: randomUUID(),
    email: `member-${index}@bench.test`,
    group: index % options.groupCount,
  }));
  const requesters = Array.from(
    { length: options.requesterCount },
    (_, index) => `requester-${index}@bench.test`,
  );
  const warmupRequester = 'warmup@bench.test';
  const warmupRequesterId = randomUUID();

  await prisma.group.createMany({
    data: groupIds.map((id, index) => ({ id, name: `bench-group-${index}` })),
  });
  await inChunks(
    [
      ...members.map(({ id, email }) => ({ id, email, name: email.split('@')[0]! })),
      ...requesters.map((email) => ({ email, name: email.split('@')[0]! })),
      { id: warmupRequesterId, email: warmupRequester, name: 'warmup' },
    ],
    (chunk) => prisma.user.createMany({ data: chunk }),
  );
  await inChunks(members, (chunk) =>
    prisma.groupMembership.createMany({
      data: chunk.map((member) => ({ groupId: groupIds[member.group]!, userId: member.id })),
    }),
  );

  const appIds = groupIds.map(() => randomUUID());
  await prisma.appIntegration.createMany({
    data: appIds.map((id, index) => ({
      id,
      name: `bench-app-${index}`,
      label: `Bench App ${index}`,
      requestable: true,
      approvalRequired: true,
    })),
  });
  const stepIds = appIds.map(() => randomUUID());
  await prisma.approvalStep.createMany({
    data: appIds.map((appId, index) => ({
      id: stepIds[index]!,
      appId,
      position: 1,
      approverGroupId: groupIds[index]!,
    })),
  });

  // What requestApp leaves behind at step 1, minus the per-approver
  // notifications: sending those would keep the server busy for minutes
  // before the measurement (100 groups of 100 make 10,000 e-mails).
  const warmupRequestIds = appIds.map(() => randomUUID());
  const now = new Date();
  await prisma.appRequest.createMany({
    data: appIds.map((appId, index) => ({
      id: warmupRequestIds[index]!,
      appId,
      requesterId: warmupRequesterId,
      currentStepId: stepIds[index]!,
      currentPosition: 1,
      currentApproverGroupId: groupIds[index]!,
      stepStartedAt: now,
      stepDeadline: new Date(now.getTime() + 7 * 24 * 3_600_000),
    })),
  });

  const groups = groupIds.map(() => [] as Member[]);
  for (const member of members) {
    groups[member.group]!.push(member);
  }

  return {
    members,
    groups,
    appIds: appIds.map((id) => encodeGlobalID('AppIntegration', id)),
    requesters,
    warmupRequester,
    warmupRequestIds,
  };
}
