import { randomUUID } from 'node:crypto';

import type { Prisma, PrismaClient } from '../generated/prisma/client';
import type { Logger } from '../logger';
import {
  DEMO_APPS,
  DEMO_GROUPS,
  DEMO_PERSONAL_APPS,
  DEMO_USERS,
  type DemoApp,
} from './demo-catalog';

// Any constant will do; it only has to differ from the migration lock.
const SEED_LOCK_KEY = 7_301_984_552;

/**
 * The keys the org report groups personal apps by: the name trimmed,
 * lower-cased and with inner white space folded; the URL's lower-cased
 * scheme and host (no default port) and its path without a trailing slash.
 */
export function personalAppKeys(name: string, url: string) {
  const parsed = new URL(url);

  return {
    normalizedName: name.trim().replace(/\s+/g, ' ').toLowerCase(),
    normalizedUrl: `${parsed.protocol}//${parsed.host}${parsed.pathname.replace(/\/+$/, '')}`,
  };
}

function launchUrl(app: DemoApp): string {
  return `https://${app.host}${app.launchPath ?? ''}`;
}

async function writeDemoData(tx: Prisma.TransactionClient): Promise<string> {
  // Ids are chosen here so that everything can go in with createMany.
  const userIds = new Map(DEMO_USERS.map((user) => [user.email, randomUUID()]));
  const groupIds = new Map(DEMO_GROUPS.map((group) => [group.name, randomUUID()]));
  const appIds = new Map(DEMO_APPS.map((app) => [app.name, randomUUID()]));
  const userId = (email: string) => userIds.get(email)!;
  const adminId = userId(DEMO_USERS.find((user) => user.isAdmin)!.email);

  await tx.user.createMany({
    data: DEMO_USERS.map((user) => ({
      id: userId(user.email),
      email: user.email,
      name: user.name,
      isAdmin: user.isAdmin ?? false,
    })),
  });

  await tx.group.createMany({
    data: DEMO_GROUPS.map((group) => ({
      id: groupIds.get(group.name)!,
      name: group.name,
      description: group.description,
    })),
  });
  await tx.groupMembership.createMany({
    data: DEMO_GROUPS.flatMap((group) =>
      group.members.map((email) => ({ groupId: groupIds.get(group.name)!, userId: userId(email) })),
    ),
  });

  await tx.appIntegration.createMany({
    data: DEMO_APPS.map((app) => ({
      id: appIds.get(app.name)!,
      name: app.name,
      label: app.label,
      description: app.description,
      launchUrl: launchUrl(app),
      logoUrl: `https://${app.host}/favicon.ico`,
      signOnMode: app.signOnMode,
      requestable: app.requestable,
      approvalRequired: app.approvalRequired,
      requesterNote: app.requesterNote ?? null,
    })),
  });

  const steps = DEMO_APPS.flatMap((app) =>
    (app.steps ?? []).map((step, index) => ({
      appId: appIds.get(app.name)!,
      position: index + 1,
      approverUserId: step.user ? userId(step.user) : null,
      approverGroupId: step.group ? groupIds.get(step.group)! : null,
      timeout: step.timeout,
      timeoutAction: step.timeoutAction,
      escalateToUserId: step.escalateTo ? userId(step.escalateTo) : null,
      notificationMessage: step.notificationMessage ?? null,
    })),
  );
  await tx.approvalStep.createMany({ data: steps });

  const notes = DEMO_APPS.flatMap((app) =>
    (app.notes ?? []).map((note) => ({
      appId: appIds.get(app.name)!,
      authorId: adminId,
      kind: note.kind,
      body: note.body,
    })),
  );
  await tx.appNote.createMany({ data: notes });

  const assignments = DEMO_APPS.flatMap((app) =>
    (app.assignedTo ?? []).map((email) => ({
      appId: appIds.get(app.name)!,
      userId: userId(email),
      source: 'ADMIN' as const,
    })),
  );
  await tx.appAssignment.createMany({ data: assignments });

  await tx.personalApp.createMany({
    data: DEMO_PERSONAL_APPS.map((app) => ({
      userId: userId(app.user),
      name: app.name.trim(),
      url: app.url,
      ...personalAppKeys(app.name, app.url),
    })),
  });

  return (
    `${DEMO_USERS.length} users, ${DEMO_GROUPS.length} groups, ${DEMO_APPS.length} apps ` +
    `with ${steps.length} approval steps, ${notes.length} notes, ` +
    `${assignments.length} assignments, ${DEMO_PERSONAL_APPS.length} personal apps`
  );
}

/**
 * Fills an empty database with a small demo organisation: people (one of
 * them an administrator), two approver groups, a catalog of well-known apps
 * with approval chains of one to three steps, notes, assignments and
 * personal apps. Does nothing when any user or app exists, so it is safe to
 * call on every start; everything goes in one transaction, or nothing.
 */
export async function seedDemoData(prisma: PrismaClient, log: Logger): Promise<void> {
  const seeded = await prisma.$transaction(
    async (tx) => {
      // Several servers may start together on one empty PostgreSQL
      // database; the lock makes the later ones see the first one's rows.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${SEED_LOCK_KEY})`;

      const users = await tx.user.count();
      const apps = await tx.appIntegration.count();
      if (users > 0 || apps > 0) {
        return undefined;
      }

      return writeDemoData(tx);
    },
    // PGlite writes a row in about 8 ms; leave room on slow machines.
    { timeout: 60_000, maxWait: 60_000 },
  );

  if (seeded) {
    log.info(`demo data seeded into the empty database: ${seeded}`);
  }
}

/** The demo people that exist in the database, ordered by e-mail. */
export async function listDemoUsers(
  prisma: PrismaClient,
): Promise<{ email: string; name: string | null }[]> {
  return prisma.user.findMany({
    where: { email: { in: DEMO_USERS.map((user) => user.email) } },
    select: { email: true, name: true },
    orderBy: { email: 'asc' },
  });
}
