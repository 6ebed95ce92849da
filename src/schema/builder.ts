import SchemaBuilder from '@pothos/core';
import ErrorsPlugin from '@pothos/plugin-errors';
import PrismaPlugin from '@pothos/plugin-prisma';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import {
  DateTimeResolver,
  DurationResolver,
  EmailAddressResolver,
  JSONResolver,
  URLResolver,
} from 'graphql-scalars';

import type { AuthenticatedContext, Context } from '../context';
import type PrismaTypes from '../generated/pothos-types';
import { getDatamodel } from '../generated/pothos-types';
import { ForbiddenError } from '../services/errors';

/**
 * The one Pothos builder. Plugin order matters: the errors plugin wraps the
 * auth checks, so a refused mutation answers with a `ForbiddenError` member
 * of its result union instead of a top-level error.
 */
export const builder = new SchemaBuilder<{
  Context: Context;
  PrismaTypes: PrismaTypes;
  AuthScopes: {
    authenticated: boolean;
    admin: boolean;
  };
  AuthContexts: {
    authenticated: AuthenticatedContext;
    admin: AuthenticatedContext;
  };
  DefaultFieldNullability: false;
  DefaultEdgesNullability: false;
  DefaultInputFieldRequiredness: false;
  Scalars: {
    DateTime: { Input: Date; Output: Date };
    Duration: { Input: string; Output: string };
    EmailAddress: { Input: string; Output: string };
    JSON: { Input: unknown; Output: unknown };
    URL: { Input: URL; Output: URL | string };
  };
}>({
  plugins: [ErrorsPlugin, ScopeAuthPlugin, PrismaPlugin, RelayPlugin],
  defaultFieldNullability: false,
  scopeAuth: {
    authScopes: (context) => ({
      authenticated: context.viewer !== null,
      admin: context.viewer?.isAdmin === true,
    }),
    unauthorizedError: (_parent, _context, info) =>
      new ForbiddenError(`${info.parentType.name}.${info.fieldName} is not available to you`),
  },
  prisma: {
    client: (context) => context.prisma,
    dmmf: getDatamodel(),
    exposeDescriptions: false,
    filterConnectionTotalCount: true,
    onUnusedQuery: null,
    defaultConnectionSize: 20,
    maxConnectionSize: 100,
  },
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    edgesFieldOptions: { nullable: false },
  },
  errors: {
    defaultTypes: [],
  },
});

builder.addScalarType('DateTime', DateTimeResolver);
builder.addScalarType('Duration', DurationResolver);
builder.addScalarType('EmailAddress', EmailAddressResolver);
builder.addScalarType('JSON', JSONResolver);
builder.addScalarType('URL', URLResolver);

builder.queryType({});
builder.mutationType({});
