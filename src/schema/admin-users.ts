import { createUser } from '../services/users';
import { builder } from './builder';
import { defineMutation } from './mutation';
import { UserRef } from './users';

const CreateUserInput = builder.inputType('CreateUserInput', {
  fields: (t) => ({
    email: t.string({ required: true, description: 'Unique, case-insensitive.' }),
    name: t.string(),
    isAdmin: t.boolean({ description: 'Grant org administrator rights. Default false.' }),
  }),
});

defineMutation({
  name: 'createUser',
  description: 'Administrators: add a user before their first sign-in.',
  scope: 'admin',
  input: CreateUserInput,
  payloadField: 'user',
  payloadType: UserRef,
  resolve: (input, context) => createUser(context.prisma, input),
});
