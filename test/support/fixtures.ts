import { decodeGlobalID, encodeGlobalID } from '@pothos/plugin-relay';

import type { PrismaClient, TimeoutAction } from '../../src/generated/prisma/client';

/*
 * Test data written straight to the database, for what a test needs to
 * exist before it drives the API (the API itself is tested elsewhere).
 */

export const gid = (typename: string, id: string): string => encodeGlobalID(typename, id);

/** The database id inside a global ID. */
export const rawId = (globalId: string): string => decodeGlobalID(globalId).id;

export async function makeUser(prisma: PrismaClient, email: string, name?: string) {
  return prisma.user.upsert({
    where: { email },
    create: { email, name: name ?? email.split('@')[0]! },
    update: {},
  });
}

export async function makeGroup(prisma: PrismaClient, name: string, memberIds: string[]) {
  return prisma.group.create({
    data: { name, memberships: { create: memberIds.map((userId) => ({ userId })) } },
  });
}

export interface StepSpec {
  userId?: string;
  groupId?: string;
  timeout?: string;
  action?: TimeoutAction;
  escalateToUserId?: string;
  message?: string;
}

let appCounter = 0;

export async function makeApp(
  prisma: PrismaClient,
  options: {
    label?: string;
    approvalRequired?: boolean;
    requestable?: boolean;
    steps?: StepSpec[];
    notifyEmails?: string[];
  } = {},
) {
  appCounter += 1;
  const label = options.label ?? `Test App ${appCounter}`;

  return prisma.appIntegration.create({
    data: {
      name: `${label.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${appCounter}`,
      label,
      requestable: options.requestable ?? true,
      approvalRequired: options.approvalRequired ?? true,
      notifyEmails: options.notifyEmails ?? [],
      approvalSteps: {
        create: (options.steps ?? []).map((step, index) => ({
          position: index + 1,
          approverUserId: step.userId ?? null,
          approverGroupId: step.groupId ?? null,
          timeout: step.timeout ?? null,
          timeoutAction: step.action ?? 'EXPIRE',
          escalateToUserId: step.escalateToUserId ?? null,
          notificationMessage: step.message ?? null,
        })),
      },
    },
  });
}

/** Polls `check` until it returns a truthy value or `timeoutMs` passes. */
export async function eventually<T>(check: () => Promise<T>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value || Date.now() > deadline) {
      return value;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
