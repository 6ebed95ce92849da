import type { PersonalApp, Prisma, PrismaClient } from '../generated/prisma/client';
import { ConflictError, DisabledError, NotFoundError } from './errors';
import { getOrgSettings } from './settings';
import { isUniqueViolation } from './users';
import { assertText, assertUrl } from './validate';

/*
 * Personal apps: links users keep on their own dashboard for tools that are
 * not in the catalog. Administrators see them grouped across the org, which
 * tells them which apps people want integrated.
 */

export const PERSONAL_APP_NAME_MAX_LENGTH = 100;

/** Lower-cased and trimmed, inner white space folded to one space. */
export function normalizeAppName(name: string): string {
  return name.trim().replace(/\s+/g, ' ').toLowerCase();
}

/**
 * The URL as it identifies an app: scheme and host lower-cased, default port
 * dropped (the URL parser does these three), fragment dropped, trailing
 * slashes of the path dropped; path and query kept as they are.
 *
 * @example
 * normalizeAppUrl('HTTPS://Example.com:443/Tools/?a=1#top') // 'https://example.com/Tools?a=1'
 */
export function normalizeAppUrl(url: string): string {
  const parsed = new URL(url);
  const credentials = parsed.username
    ? `${parsed.username}${parsed.password ? `:${parsed.password}` : ''}@`
    : '';
  const path = parsed.pathname.replace(/\/+$/, '');

  return `${parsed.protocol}//${credentials}${parsed.host}${path}${parsed.search}`;
}

/** Throws DisabledError while the org does not allow personal apps. */
export async function assertPersonalAppsAllowed(
  db: PrismaClient | Prisma.TransactionClient,
): Promise<void> {
  const settings = await getOrgSettings(db);
  if (!settings.allowPersonalApps) {
    throw new DisabledError('personal apps are turned off for this organisation');
  }
}

export interface AddPersonalAppInput {
  name: string;
  url: string;
}

/**
 * Adds a link to the viewer's dashboard. Throws DisabledError while the org
 * setting allowPersonalApps is off, InvalidInputError naming `input.name` or
 * `input.url`, and ConflictError when the viewer already has an app with the
 * same normalized URL.
 */
export async function addPersonalApp(
  prisma: PrismaClient,
  userId: string,
  input: AddPersonalAppInput,
): Promise<PersonalApp> {
  await assertPersonalAppsAllowed(prisma);

  const name = assertText(input.name, 'input.name', {
    max: PERSONAL_APP_NAME_MAX_LENGTH,
    required: true,
  });
  const url = assertUrl(input.url, 'input.url');
  const normalizedUrl = normalizeAppUrl(url);

  const duplicate = await prisma.personalApp.findUnique({
    where: { userId_normalizedUrl: { userId, normalizedUrl } },
    select: { name: true },
  });
  if (duplicate) {
    throw new ConflictError(`you already have a personal app with this URL: "${duplicate.name}"`);
  }

  try {
    return await prisma.personalApp.create({
      data: { userId, name, url, normalizedName: normalizeAppName(name), normalizedUrl },
    });
  } catch (error) {
    // Two tabs adding the same link at once: the unique index on
    // (user_id, normalized_url) stops the second.
    if (isUniqueViolation(error)) {
      throw new ConflictError(`you already have a personal app with the URL ${url}`);
    }
    throw error;
  }
}

/**
 * Removes one of the viewer's personal apps and returns it. Another user's
 * app is reported exactly like a missing one (NotFoundError naming
 * `input.id`), so nobody learns that it exists. Throws DisabledError while
 * personal apps are off.
 */
export async function removePersonalApp(
  prisma: PrismaClient,
  userId: string,
  id: string,
): Promise<PersonalApp> {
  await assertPersonalAppsAllowed(prisma);

  const app = await prisma.personalApp.findFirst({ where: { id, userId } });
  if (!app) {
    throw new NotFoundError(`you have no personal app with ID ${id}`, 'input.id');
  }

  // deleteMany, not delete: a second tab removing it first is not an error.
  await prisma.personalApp.deleteMany({ where: { id, userId } });

  return app;
}

/** One row of the org-wide report of personal apps. */
export interface UserAddedApplication {
  /** The most recently added spelling of the group's name and URL. */
  name: string;
  url: string;
  userCount: number;
}

/**
 * Personal apps across the org grouped by normalized name and URL, most
 * widely used first (ties by name), one page at a time.
 */
export async function listUserAddedApplications(
  prisma: PrismaClient,
  page: { offset: number; limit: number },
): Promise<UserAddedApplication[]> {
  // Prisma's groupBy cannot pick the latest spelling of each group, so this
  // is one SQL query; array_agg(... ORDER BY) does the picking.
  return prisma.$queryRaw<UserAddedApplication[]>`
    SELECT
      (array_agg(name ORDER BY created_at DESC, id DESC))[1] AS "name",
      (array_agg(url ORDER BY created_at DESC, id DESC))[1] AS "url",
      count(DISTINCT user_id)::int AS "userCount"
    FROM personal_apps
    GROUP BY normalized_name, normalized_url
    ORDER BY "userCount" DESC, normalized_name ASC, normalized_url ASC
    LIMIT ${page.limit} OFFSET ${page.offset}
  `;
}

/** How many groups listUserAddedApplications has in all. */
export async function countUserAddedApplications(prisma: PrismaClient): Promise<number> {
  const [row] = await prisma.$queryRaw<{ total: number }[]>`
    SELECT count(*)::int AS "total"
    FROM (SELECT 1 FROM personal_apps GROUP BY normalized_name, normalized_url) AS grouped
  `;

  return row?.total ?? 0;
}
