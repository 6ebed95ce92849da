import type { AppIntegration, Prisma, PrismaClient, SignOnMode } from '../generated/prisma/client';
import { changeApp, type AppChangeDeps } from './app-changes';
import { ConflictError, InvalidInputError } from './errors';
import { isUniqueViolation } from './users';
import { assertEmail, assertText, assertUrl } from './validate';

/*
 * The app catalog: creating apps, editing them and their self-service
 * settings. Changes that would strand pending access requests (an app made
 * unrequestable, approval switched off, an app deactivated) end those
 * requests in the same transaction, through the guard rail.
 */

const NAME_PATTERN = /^[a-z0-9][a-z0-9_.-]*$/;

export interface CreateAppInput {
  name: string;
  label: string;
  description?: string | null;
  logoUrl?: string | null;
  launchUrl?: string | null;
  signOnMode?: SignOnMode | null;
  requestable?: boolean | null;
  approvalRequired?: boolean | null;
  requesterNote?: string | null;
  notifyEmails?: readonly string[] | null;
}

/** Fields left out stay as they are; null clears the nullable ones. */
export interface UpdateAppInput {
  appId: string;
  label?: string | null;
  description?: string | null;
  logoUrl?: string | null;
  launchUrl?: string | null;
  active?: boolean | null;
  notifyEmails?: readonly string[] | null;
}

/** Fields left out (or null, for the booleans) stay as they are. */
export interface ConfigureSelfServiceInput {
  appId: string;
  requestable?: boolean | null;
  approvalRequired?: boolean | null;
  requesterNote?: string | null;
}

/** The columns updateApp may change. */
type AppEdit = Pick<
  AppIntegration,
  'label' | 'description' | 'logoUrl' | 'launchUrl' | 'active' | 'notifyEmails'
>;

/** The columns configureSelfService may change. */
type SelfServiceEdit = Pick<AppIntegration, 'requestable' | 'approvalRequired' | 'requesterNote'>;

/** Turns the key such as `salesforce` into its stored form, or refuses it. */
function assertAppName(value: string): string {
  const name = assertText(value.toLowerCase(), 'input.name', { max: 100, required: true });
  if (!NAME_PATTERN.test(name)) {
    throw new InvalidInputError(
      'input.name',
      'input.name must start with a letter or digit and hold only a-z, 0-9, "-", "_" ' +
        `and ".", got "${value}"`,
    );
  }

  return name;
}

function optionalUrl(value: string | null | undefined, field: string): string | null {
  return value?.trim() ? assertUrl(value, field) : null;
}

function emailList(values: readonly string[], field: string): string[] {
  const emails = values.map((value, index) => assertEmail(value, `${field}.${index}`));

  return [...new Set(emails)];
}

/**
 * Adds an app to the catalog. New apps are active; they are not requestable
 * and need approval unless the input says otherwise.
 *
 * @throws InvalidInputError naming the first bad field; ConflictError when the name is taken.
 */
export async function createApp(
  prisma: PrismaClient,
  input: CreateAppInput,
): Promise<AppIntegration> {
  const data: Prisma.AppIntegrationCreateInput = {
    name: assertAppName(input.name),
    label: assertText(input.label, 'input.label', { max: 200, required: true }),
    description: assertText(input.description, 'input.description', { max: 2_000 }),
    logoUrl: optionalUrl(input.logoUrl, 'input.logoUrl'),
    launchUrl: optionalUrl(input.launchUrl, 'input.launchUrl'),
    signOnMode: input.signOnMode ?? 'SAML_2_0',
    requestable: input.requestable ?? false,
    approvalRequired: input.approvalRequired ?? true,
    requesterNote: assertText(input.requesterNote, 'input.requesterNote', { max: 500 }),
    notifyEmails: emailList(input.notifyEmails ?? [], 'input.notifyEmails'),
  };

  const taken = `an app integration named "${data.name}" already exists`;
  if (await prisma.appIntegration.findUnique({ where: { name: data.name } })) {
    throw new ConflictError(taken);
  }

  try {
    return await prisma.appIntegration.create({ data });
  } catch (error) {
    // Two creations of one name may race past the check above.
    if (isUniqueViolation(error)) {
      throw new ConflictError(taken);
    }
    throw error;
  }
}

/**
 * Edits an app's catalog entry. Deactivating an active app ends its pending
 * requests.
 *
 * @throws InvalidInputError naming the first bad field; NotFoundError for an unknown app.
 */
export async function updateApp(
  deps: AppChangeDeps,
  input: UpdateAppInput,
  actorId: string,
): Promise<AppIntegration> {
  const data: Partial<AppEdit> = {};
  if (input.label != null) {
    data.label = assertText(input.label, 'input.label', { max: 200, required: true });
  }
  if (input.description !== undefined) {
    data.description = assertText(input.description, 'input.description', { max: 2_000 });
  }
  if (input.logoUrl !== undefined) {
    data.logoUrl = optionalUrl(input.logoUrl, 'input.logoUrl');
  }
  if (input.launchUrl !== undefined) {
    data.launchUrl = optionalUrl(input.launchUrl, 'input.launchUrl');
  }
  if (input.active != null) {
    data.active = input.active;
  }
  if (input.notifyEmails != null) {
    data.notifyEmails = emailList(input.notifyEmails, 'input.notifyEmails');
  }

  return changeApp(deps, { appId: input.appId, actorId }, async (tx, before, closeRequests) => {
    if (before.active && data.active === false) {
      const label = data.label ?? before.label;
      await closeRequests(`Access requests for ${label} were closed: the app was deactivated.`);
    }

    return tx.appIntegration.update({ where: { id: before.id }, data });
  });
}

/** Why pending requests end when self service changes, or null when they may go on. */
function closingReason(before: AppIntegration, change: Partial<SelfServiceEdit>): string | null {
  if (before.requestable && change.requestable === false) {
    return `Access requests for ${before.label} were closed: the app is no longer requestable.`;
  }
  if (before.approvalRequired && change.approvalRequired === false) {
    return (
      `Access requests for ${before.label} were closed: the app no longer needs approval, ` +
      'so requesting it again grants it at once.'
    );
  }

  return null;
}

/**
 * Changes whether people may request an app, whether requests need
 * approval, and the note shown to requesters. Switching requests or
 * approval off ends the app's pending requests.
 *
 * @throws InvalidInputError for an over-long note; NotFoundError for an unknown app.
 */
export async function configureSelfService(
  deps: AppChangeDeps,
  input: ConfigureSelfServiceInput,
  actorId: string,
): Promise<AppIntegration> {
  const data: Partial<SelfServiceEdit> = {};
  if (input.requestable != null) {
    data.requestable = input.requestable;
  }
  if (input.approvalRequired != null) {
    data.approvalRequired = input.approvalRequired;
  }
  if (input.requesterNote !== undefined) {
    data.requesterNote = assertText(input.requesterNote, 'input.requesterNote', { max: 500 });
  }

  return changeApp(deps, { appId: input.appId, actorId }, async (tx, before, closeRequests) => {
    const reason = closingReason(before, data);
    if (reason) {
      await closeRequests(reason);
    }

    return tx.appIntegration.update({ where: { id: before.id }, data });
  });
}
