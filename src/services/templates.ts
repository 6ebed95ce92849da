import type { Prisma, PrismaClient } from '../generated/prisma/client';
import { NotificationEvent } from '../generated/prisma/enums';
import { InvalidInputError } from './errors';
import { assertText } from './validate';

/*
 * Notification templates: a subject and a plain-text body per event, with
 * {{placeholders}} filled in when a notification is written to the outbox.
 * Administrators may replace the defaults below; a stored template wins.
 */

/** Every placeholder a template may use. Anything else is refused on save. */
export const TEMPLATE_PLACEHOLDERS = [
  'requesterName',
  'requesterEmail',
  'appName',
  'appLabel',
  'stepNumber',
  'stepCount',
  'approverName',
  'justification',
  'comment',
  'reason',
  'stepMessage',
  'requestId',
  'suggestionName',
  'suggestionUrl',
  'suggestionNote',
] as const;

export type Placeholder = (typeof TEMPLATE_PLACEHOLDERS)[number];

/** The values to fill in; a missing value renders as nothing. */
export type TemplateValues = Partial<Record<Placeholder, string>>;

export interface TemplateText {
  subject: string;
  body: string;
}

/** A template as the API shows it: stored by an administrator, or the default. */
export interface ResolvedTemplate extends TemplateText {
  event: NotificationEvent;
  isDefault: boolean;
  /** When an administrator last saved it; null for a default. */
  updatedAt: Date | null;
}

/** What renderTemplate produces: one subject line and the body twice. */
export interface RenderedTemplate {
  subject: string;
  /** Plain text, values inserted as they are. */
  text: string;
  /** HTML, values escaped, line breaks as `<br>`. */
  html: string;
}

export const SUBJECT_MAX_LENGTH = 200;
export const BODY_MAX_LENGTH = 5_000;

/** The texts used until an administrator saves a template for an event. */
export const DEFAULT_TEMPLATES: Record<NotificationEvent, TemplateText> = {
  REQUEST_SUBMITTED: {
    subject: 'Your request for {{appLabel}} was submitted',
    body:
      'Hi {{requesterName}},\n\n' +
      'We received your request for access to {{appLabel}}. ' +
      "We'll let you know as soon as it has been decided.\n\n" +
      'Your justification: {{justification}}\n\n' +
      'Request ID: {{requestId}}',
  },
  APPROVAL_REQUIRED: {
    subject: '{{requesterName}} is asking for access to {{appLabel}}',
    body:
      'Hi {{approverName}},\n\n' +
      '{{requesterName}} ({{requesterEmail}}) has requested access to {{appLabel}} ' +
      'and needs your decision (step {{stepNumber}} of {{stepCount}}).\n\n' +
      'Justification: {{justification}}\n\n' +
      '{{stepMessage}}\n\n' +
      'Please approve or deny the request in Self Service.\n\n' +
      'Request ID: {{requestId}}',
  },
  REQUEST_APPROVED: {
    subject: 'You now have access to {{appLabel}}',
    body:
      'Hi {{requesterName}},\n\n' +
      'Good news: your request for {{appLabel}} was approved. ' +
      'You will find the app on your dashboard.\n\n' +
      'Comment: {{comment}}\n\n' +
      'Request ID: {{requestId}}',
  },
  REQUEST_DENIED: {
    subject: 'Your request for {{appLabel}} was denied',
    body:
      'Hi {{requesterName}},\n\n' +
      'Your request for access to {{appLabel}} was denied by {{approverName}}.\n\n' +
      'Comment: {{comment}}\n\n' +
      'If you think this is a mistake, please reach out to the approver.\n\n' +
      'Request ID: {{requestId}}',
  },
  REQUEST_EXPIRED: {
    subject: 'Your request for {{appLabel}} expired',
    body:
      'Hi {{requesterName}},\n\n' +
      'Your request for access to {{appLabel}} expired because no decision was made ' +
      'in time (step {{stepNumber}} of {{stepCount}}). You are welcome to request it again.\n\n' +
      'Request ID: {{requestId}}',
  },
  REQUEST_CANCELLED: {
    subject: 'Your request for {{appLabel}} was cancelled',
    body:
      'Hi {{requesterName}},\n\n' +
      'Your request for access to {{appLabel}} was cancelled.\n\n' +
      'Reason: {{reason}}\n\n' +
      'Request ID: {{requestId}}',
  },
  REQUEST_DELETED: {
    subject: 'Your request for {{appLabel}} was removed',
    body:
      'Hi {{requesterName}},\n\n' +
      'An administrator removed your request for access to {{appLabel}}.\n\n' +
      'Reason: {{reason}}\n\n' +
      'Request ID: {{requestId}}',
  },
  APP_SUGGESTED: {
    subject: '{{requesterName}} suggested a new app: {{suggestionName}}',
    body:
      'Hello,\n\n' +
      '{{requesterName}} ({{requesterEmail}}) suggested adding an app to the catalog.\n\n' +
      'App: {{suggestionName}}\n' +
      'URL: {{suggestionUrl}}\n' +
      'Note: {{suggestionNote}}',
  },
};

/*
 * A placeholder is a name between double braces, spaces allowed inside:
 * `{{appLabel}}` or `{{ appLabel }}`. The pattern takes anything between the
 * braces so that a misspelt or malformed name is reported, not left in the
 * message as literal text.
 */
const PLACEHOLDER_PATTERN = /\{\{([^{}]*)\}\}/g;

const KNOWN_PLACEHOLDERS: ReadonlySet<string> = new Set(TEMPLATE_PLACEHOLDERS);

function assertPlaceholders(text: string, field: string): void {
  for (const match of text.matchAll(PLACEHOLDER_PATTERN)) {
    const name = (match[1] ?? '').trim();
    if (!KNOWN_PLACEHOLDERS.has(name)) {
      throw new InvalidInputError(
        field,
        `${field} uses an unknown placeholder {{${name}}}; ` +
          `known placeholders are ${TEMPLATE_PLACEHOLDERS.join(', ')}`,
      );
    }
  }
}

/**
 * Checks a template an administrator wants to save and returns it trimmed.
 * Throws InvalidInputError naming `input.subject` or `input.body` when one
 * is empty, too long (200 and 5,000 characters), uses a placeholder not in
 * TEMPLATE_PLACEHOLDERS, or (the subject) spans more than one line.
 */
export function validateTemplate(subject: string, body: string): TemplateText {
  const checkedSubject = assertText(subject, 'input.subject', {
    max: SUBJECT_MAX_LENGTH,
    required: true,
  });
  if (/[\r\n]/.test(checkedSubject)) {
    throw new InvalidInputError('input.subject', 'input.subject must be a single line');
  }
  assertPlaceholders(checkedSubject, 'input.subject');

  const checkedBody = assertText(body, 'input.body', { max: BODY_MAX_LENGTH, required: true });
  assertPlaceholders(checkedBody, 'input.body');

  return { subject: checkedSubject, body: checkedBody };
}

/** The template of one event: the stored one, or the default. */
export async function getTemplate(
  db: PrismaClient | Prisma.TransactionClient,
  event: NotificationEvent,
): Promise<ResolvedTemplate> {
  const stored = await db.notificationTemplate.findUnique({ where: { event } });

  return stored
    ? { ...stored, isDefault: false }
    : { event, ...DEFAULT_TEMPLATES[event], isDefault: true, updatedAt: null };
}

/** The templates of every event, in the order of the NotificationEvent enum. */
export async function listTemplates(
  db: PrismaClient | Prisma.TransactionClient,
): Promise<ResolvedTemplate[]> {
  const stored = await db.notificationTemplate.findMany();
  const byEvent = new Map(stored.map((template) => [template.event, template]));

  return Object.values(NotificationEvent).map((event) => {
    const template = byEvent.get(event);

    return template
      ? { ...template, isDefault: false }
      : { event, ...DEFAULT_TEMPLATES[event], isDefault: true, updatedAt: null };
  });
}

/**
 * Saves an administrator's template for an event, replacing any earlier one.
 * Throws InvalidInputError as validateTemplate does.
 */
export async function setTemplate(
  prisma: PrismaClient,
  input: { event: NotificationEvent; subject: string; body: string },
): Promise<ResolvedTemplate> {
  const text = validateTemplate(input.subject, input.body);

  const stored = await prisma.notificationTemplate.upsert({
    where: { event: input.event },
    create: { event: input.event, ...text },
    update: text,
  });

  return { ...stored, isDefault: false };
}

// C0 controls, DEL, C1 controls and the Unicode line and paragraph
// separators: anything a mail client might treat as the end of a header.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const HEADER_BREAKING = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

// The same, except line feed and tab, which plain text may keep.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const TEXT_UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => HTML_ESCAPES[character] ?? character);
}

function valueOf(values: TemplateValues, name: string): string {
  const key = name.trim();

  return KNOWN_PLACEHOLDERS.has(key) ? (values[key as Placeholder] ?? '') : '';
}

function fill(template: string, values: TemplateValues, clean: (value: string) => string): string {
  return template.replace(PLACEHOLDER_PATTERN, (_match, name: string) =>
    clean(valueOf(values, name)),
  );
}

/**
 * Fills a template in three ways:
 * - `subject`: control characters and line breaks, in values and in the
 *   template, become spaces, so no value can add a mail header;
 * - `text`: values as they are, minus control characters other than line
 *   feed and tab;
 * - `html`: the template and the values HTML-escaped, line breaks as `<br>`.
 *
 * A missing value, or a placeholder the template should not have had,
 * renders as nothing.
 *
 * @example
 * renderTemplate({ subject: 'Hi {{ requesterName }}', body: '...' }, { requesterName: 'Ann' })
 * // => { subject: 'Hi Ann', ... }
 */
export function renderTemplate(template: TemplateText, values: TemplateValues): RenderedTemplate {
  const subject = fill(template.subject, values, (value) => value)
    .replace(HEADER_BREAKING, ' ')
    .trim();

  const body = template.body.replace(/\r\n?/g, '\n');
  const cleanText = (value: string) => value.replace(TEXT_UNSAFE, '');
  const text = fill(body, values, cleanText);

  // Escape the template's own text too: it is plain text, not markup.
  const html = body
    .split(PLACEHOLDER_PATTERN)
    .map((part, index) =>
      // split() with a capture group alternates literal text and names.
      index % 2 === 0 ? escapeHtml(part) : escapeHtml(cleanText(valueOf(values, part))),
    )
    .join('')
    .replace(/\n/g, '<br>\n');

  return { subject, text, html };
}
