import type { OrgSettings, Prisma, PrismaClient } from '../generated/prisma/client';
import { assertDuration, assertEmail } from './validate';

/** The id of the one org_settings row; a CHECK constraint allows no other. */
const SETTINGS_ID = 1;

/**
 * The org's self-service settings. Works inside a transaction too, so a
 * service can read the settings its decision depends on in the same
 * snapshot it writes in.
 */
export async function getOrgSettings(
  db: PrismaClient | Prisma.TransactionClient,
): Promise<OrgSettings> {
  const settings = await db.orgSettings.findUnique({ where: { id: SETTINGS_ID } });
  if (settings) {
    return settings;
  }

  // The migration inserts the row; recreating it with the defaults keeps a
  // database whose row was deleted by hand working instead of failing every
  // operation that reads the settings.
  return db.orgSettings.upsert({
    where: { id: SETTINGS_ID },
    create: { id: SETTINGS_ID },
    update: {},
  });
}

/**
 * A partial update: an absent field (undefined) keeps its value. Null keeps
 * the value of the settings that cannot be empty, and clears the technical
 * contact.
 */
export interface UpdateOrgSettingsInput {
  userAppRequestsEnabled?: boolean | null;
  allowPersonalApps?: boolean | null;
  technicalContactEmail?: string | null;
  defaultApprovalTimeout?: string | null;
}

/**
 * Changes the settings an administrator sent and returns the whole row.
 * Throws InvalidInputError naming `input.technicalContactEmail` or
 * `input.defaultApprovalTimeout` when either is malformed; nothing is
 * written then.
 */
export async function updateOrgSettings(
  prisma: PrismaClient,
  input: UpdateOrgSettingsInput,
): Promise<OrgSettings> {
  const data: Omit<Prisma.OrgSettingsCreateInput, 'id' | 'updatedAt'> = {};

  if (input.userAppRequestsEnabled != null) {
    data.userAppRequestsEnabled = input.userAppRequestsEnabled;
  }
  if (input.allowPersonalApps != null) {
    data.allowPersonalApps = input.allowPersonalApps;
  }
  if (input.technicalContactEmail !== undefined) {
    // A blank address means "no technical contact", like null.
    const email = input.technicalContactEmail?.trim();
    data.technicalContactEmail = email ? assertEmail(email, 'input.technicalContactEmail') : null;
  }
  if (input.defaultApprovalTimeout != null) {
    data.defaultApprovalTimeout = assertDuration(
      input.defaultApprovalTimeout,
      'input.defaultApprovalTimeout',
    );
  }

  // An upsert for the same reason getOrgSettings recreates a missing row.
  return prisma.orgSettings.upsert({
    where: { id: SETTINGS_ID },
    create: { id: SETTINGS_ID, ...data },
    update: data,
  });
}
