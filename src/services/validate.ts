import { EmailAddressResolver, URLResolver } from 'graphql-scalars';
import { parse as parseIsoDuration, toSeconds } from 'iso8601-duration';

import { InvalidInputError } from './errors';

/*
 * Input checks shared by the services. Each throws InvalidInputError naming
 * the input field, so a client learns exactly what to fix. Formats are
 * checked with graphql-scalars' own parsers, the same rules the output
 * scalars use.
 */

export interface TextRules {
  max: number;
  /** Reject empty or blank text (default false: blank becomes null). */
  required?: boolean;
}

export function assertText(
  value: string | null | undefined,
  field: string,
  rules: TextRules & { required: true },
): string;
export function assertText(
  value: string | null | undefined,
  field: string,
  rules: TextRules,
): string | null;
export function assertText(
  value: string | null | undefined,
  field: string,
  rules: TextRules,
): string | null {
  const text = value?.trim() ?? '';
  if (!text) {
    if (rules.required) {
      throw new InvalidInputError(field, `${field} must not be empty`);
    }
    return null;
  }
  if (text.length > rules.max) {
    throw new InvalidInputError(
      field,
      `${field} must be at most ${rules.max} characters, got ${text.length}`,
    );
  }

  return text;
}

export function assertEmail(value: string, field: string): string {
  const trimmed = value.trim();
  try {
    EmailAddressResolver.parseValue(trimmed);
  } catch {
    throw new InvalidInputError(field, `${field} is not a valid e-mail address: "${value}"`);
  }

  return trimmed.toLowerCase();
}

/** Accepts absolute http(s) URLs only: these are links people will open. */
export function assertUrl(value: string, field: string): string {
  const trimmed = value.trim();
  let url: URL;
  try {
    url = URLResolver.parseValue(trimmed) as URL;
  } catch {
    throw new InvalidInputError(field, `${field} is not a valid URL: "${value}"`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new InvalidInputError(
      field,
      `${field} must be an http or https URL, got ${url.protocol}`,
    );
  }
  if (trimmed.length > 2048) {
    throw new InvalidInputError(field, `${field} must be at most 2048 characters`);
  }

  return trimmed;
}

// iso8601-duration accepts some strings ISO-8601 does not ("P", "PT");
// this pattern insists on at least one component.
const DURATION_PATTERN =
  /^P(?!$)(\d+(?:\.\d+)?Y)?(\d+(?:\.\d+)?M)?(\d+(?:\.\d+)?W)?(\d+(?:\.\d+)?D)?(T(?=\d)(\d+(?:\.\d+)?H)?(\d+(?:\.\d+)?M)?(\d+(?:\.\d+)?S)?)?$/;

/** The longest approval window accepted: one year. */
const MAX_DURATION_SECONDS = 366 * 24 * 3600;

/** Parses an ISO-8601 duration such as `P3D` or `PT2S` into milliseconds. */
export function durationToMs(value: string): number {
  return Math.round(toSeconds(parseIsoDuration(value)) * 1000);
}

export function assertDuration(value: string, field: string): string {
  const trimmed = value.trim().toUpperCase();
  if (!DURATION_PATTERN.test(trimmed)) {
    throw new InvalidInputError(
      field,
      `${field} is not an ISO-8601 duration such as P3D or PT2S: "${value}"`,
    );
  }

  const ms = durationToMs(trimmed);
  if (ms < 1000 || ms > MAX_DURATION_SECONDS * 1000) {
    throw new InvalidInputError(field, `${field} must be between one second and one year`);
  }

  return trimmed;
}
