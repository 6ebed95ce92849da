import { decodeGlobalID } from '@pothos/plugin-relay';

import { InvalidInputError } from '../services/errors';

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Turns a global ID from an input into the database id it encodes, refusing
 * IDs of another type (a User's ID where an AppIntegration's is wanted) and
 * IDs that do not decode at all, with INVALID_INPUT naming the field.
 */
export function parseGlobalId(value: string, typename: string, field: string): string {
  let decoded: { typename: string; id: string };
  try {
    decoded = decodeGlobalID(value);
  } catch {
    throw new InvalidInputError(field, `${field} is not a valid ID: "${value}"`);
  }

  if (decoded.typename !== typename) {
    throw new InvalidInputError(
      field,
      `${field} must be the ID of a ${typename}, got the ID of a ${decoded.typename || 'unknown type'}`,
    );
  }
  if (!UUID_PATTERN.test(decoded.id)) {
    throw new InvalidInputError(field, `${field} is not a valid ${typename} ID: "${value}"`);
  }

  return decoded.id;
}

/** Like parseGlobalId, for an optional input field. */
export function parseOptionalGlobalId(
  value: string | null | undefined,
  typename: string,
  field: string,
): string | null {
  return value ? parseGlobalId(value, typename, field) : null;
}
