import type { Prisma, PrismaClient } from '../generated/prisma/client';
import { getOrgSettings } from './settings';
import { assertText } from './validate';

/*
 * Which apps the catalog lists. The schema hands these filters to the Prisma
 * plugin's connection queries, so the planned relations load with the page.
 */

/** Catalog order: by label, then id so that equal labels page stably. */
export const CATALOG_ORDER: Prisma.AppIntegrationOrderByWithRelationInput[] = [
  { label: 'asc' },
  { id: 'asc' },
];

/**
 * Case-insensitive search on name, label and description; blank matches everything.
 *
 * @throws InvalidInputError (field `search`) for a search over 200 characters.
 */
export function appSearchFilter(
  search: string | null | undefined,
): Prisma.AppIntegrationWhereInput {
  const text = assertText(search, 'search', { max: 200 });
  if (!text) {
    return {};
  }

  const contains = { contains: text, mode: 'insensitive' as const };

  return { OR: [{ name: contains }, { label: contains }, { description: contains }] };
}

/**
 * The filter of the Available Apps table: active, requestable apps matching
 * the search. Null when the org has switched app requests off, in which
 * case end users see no apps at all.
 */
export async function availableAppsFilter(
  prisma: PrismaClient,
  search: string | null | undefined,
): Promise<Prisma.AppIntegrationWhereInput | null> {
  const settings = await getOrgSettings(prisma);
  if (!settings.userAppRequestsEnabled) {
    return null;
  }

  return { active: true, requestable: true, ...appSearchFilter(search) };
}
