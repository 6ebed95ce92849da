/**
 * The failures a service reports on purpose. The schema maps each class to a
 * GraphQL type implementing `Error` (src/schema/errors.ts); anything else a
 * service throws is unexpected, masked for the client and logged.
 */
export type ErrorCode =
  'UNAUTHENTICATED' | 'FORBIDDEN' | 'NOT_FOUND' | 'INVALID_INPUT' | 'CONFLICT' | 'DISABLED';

export abstract class DomainError extends Error {
  abstract readonly code: ErrorCode;
}

export class ForbiddenError extends DomainError {
  readonly code = 'FORBIDDEN';
  override name = 'ForbiddenError';
}

export class NotFoundError extends DomainError {
  readonly code = 'NOT_FOUND';
  override name = 'NotFoundError';

  constructor(
    message: string,
    /** The input field that named the missing thing, when there was one. */
    readonly field?: string,
  ) {
    super(message);
  }
}

export class InvalidInputError extends DomainError {
  readonly code = 'INVALID_INPUT';
  override name = 'InvalidInputError';

  constructor(
    /** Dotted path of the offending input field, such as `input.steps.2.timeout`. */
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

export class ConflictError extends DomainError {
  readonly code = 'CONFLICT';
  override name = 'ConflictError';
}

export class DisabledError extends DomainError {
  readonly code = 'DISABLED';
  override name = 'DisabledError';
}
