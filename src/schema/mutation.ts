import type { InputObjectRef, ObjectRef } from '@pothos/core';

import type { AuthenticatedContext } from '../context';
import { builder } from './builder';
import { MUTATION_ERRORS } from './errors';

type Scope = 'admin' | 'authenticated';

export interface MutationSpec<Input, Result> {
  /** The root field, such as `createUser`. */
  name: string;
  description: string;
  /** Who may call it; anyone else gets a ForbiddenError member. */
  scope: Scope;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the builder's own type parameter
  input: InputObjectRef<any, Input>;
  /** The one field of `<Name>Payload`, such as `user`. */
  payloadField: string;
  // The payload field may hold any output type (a Prisma object, a simple
  // object); Pothos cannot express "any output ref" generically here.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above
  payloadType: ObjectRef<any, Result>;
  resolve(input: Input, context: AuthenticatedContext): Promise<Result>;
}

function pascalCase(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/**
 * Declares a mutation the way every mutation here looks: one `input`
 * argument, and a result union `<Name>Result` of `<Name>Payload` (holding the
 * one named field) and the error types of src/schema/errors.ts.
 */
export function defineMutation<Input, Result>(spec: MutationSpec<Input, Result>): void {
  const typeName = pascalCase(spec.name);

  const Payload = builder.objectRef<Record<string, Result>>(`${typeName}Payload`).implement({
    fields: (t) => ({
      [spec.payloadField]: t.field({
        type: spec.payloadType,
        // Pothos cannot relate the computed key to the payload's shape.
        // eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above
        resolve: (payload) => payload[spec.payloadField] as any,
      }),
    }),
  });

  builder.mutationField(spec.name, (t) =>
    t.field({
      type: Payload,
      description: spec.description,
      args: { input: t.arg({ type: spec.input, required: true }) },
      authScopes: { [spec.scope]: true },
      errors: {
        types: MUTATION_ERRORS,
        directResult: true,
        union: { name: `${typeName}Result` },
      },
      resolve: async (_root, args, context) => {
        const { input } = args as { input: Input };
        const result = await spec.resolve(input, context as AuthenticatedContext);

        return { [spec.payloadField]: result };
      },
    }),
  );
}
