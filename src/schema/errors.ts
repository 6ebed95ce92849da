import {
  ConflictError,
  DisabledError,
  DomainError,
  ForbiddenError,
  InvalidInputError,
  NotFoundError,
} from '../services/errors';
import { builder } from './builder';

export const ErrorCodeEnum = builder.enumType('ErrorCode', {
  values: [
    'UNAUTHENTICATED',
    'FORBIDDEN',
    'NOT_FOUND',
    'INVALID_INPUT',
    'CONFLICT',
    'DISABLED',
  ] as const,
});

export const ErrorInterface = builder.interfaceRef<DomainError>('Error').implement({
  description: 'An expected failure of a mutation, returned as a member of its result union.',
  fields: (t) => ({
    message: t.exposeString('message'),
    code: t.field({ type: ErrorCodeEnum, resolve: (error) => error.code }),
  }),
});

builder.objectType(ForbiddenError, {
  name: 'ForbiddenError',
  description: 'The viewer may not do this.',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof ForbiddenError,
});

builder.objectType(NotFoundError, {
  name: 'NotFoundError',
  description: 'An ID names nothing the viewer can see.',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof NotFoundError,
  fields: (t) => ({
    field: t.exposeString('field', { nullable: true }),
  }),
});

builder.objectType(InvalidInputError, {
  name: 'InvalidInputError',
  description: 'An input value is malformed or breaks a rule; `field` names it.',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof InvalidInputError,
  fields: (t) => ({
    field: t.exposeString('field'),
  }),
});

builder.objectType(ConflictError, {
  name: 'ConflictError',
  description: 'The current state does not allow this, often because someone was first.',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof ConflictError,
});

builder.objectType(DisabledError, {
  name: 'DisabledError',
  description: 'An org setting turns this feature off.',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof DisabledError,
});

/** The error members every mutation's result union carries. */
export const MUTATION_ERRORS = [
  ForbiddenError,
  NotFoundError,
  InvalidInputError,
  ConflictError,
  DisabledError,
];
