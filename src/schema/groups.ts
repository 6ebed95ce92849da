import {
  addGroupMember,
  createGroup,
  groupSearchFilter,
  removeGroupMember,
  userSearchFilter,
} from '../services/groups';
import { builder } from './builder';
import { parseGlobalId } from './global-id';
import { defineMutation } from './mutation';
import { GroupRef } from './users';

/*
 * Administrators manage groups, and browse the people they add to them.
 * The Group and User types live in ./users.ts.
 */

builder.queryField('groups', (t) =>
  t.prismaConnection({
    type: 'Group',
    cursor: 'id',
    description: 'Administrators: every group, by name.',
    authScopes: { admin: true },
    args: { search: t.arg.string({ description: 'Part of the name or description.' }) },
    totalCount: (_root, args, context) =>
      context.prisma.group.count({ where: groupSearchFilter(args.search) }),
    resolve: (query, _root, args, context) =>
      context.prisma.group.findMany({
        ...query,
        where: groupSearchFilter(args.search),
        orderBy: [{ name: 'asc' }, { id: 'asc' }],
      }),
  }),
);

builder.queryField('users', (t) =>
  t.prismaConnection({
    type: 'User',
    cursor: 'id',
    description: 'Administrators: every user, by e-mail.',
    authScopes: { admin: true },
    args: { search: t.arg.string({ description: 'Part of the e-mail or name.' }) },
    totalCount: (_root, args, context) =>
      context.prisma.user.count({ where: userSearchFilter(args.search) }),
    resolve: (query, _root, args, context) =>
      context.prisma.user.findMany({
        ...query,
        where: userSearchFilter(args.search),
        orderBy: [{ email: 'asc' }, { id: 'asc' }],
      }),
  }),
);

const CreateGroupInput = builder.inputType('CreateGroupInput', {
  fields: (t) => ({
    name: t.string({ required: true, description: 'Unique, case-insensitive; at most 100.' }),
    description: t.string(),
  }),
});

defineMutation({
  name: 'createGroup',
  description: 'Administrators: add a group.',
  scope: 'admin',
  input: CreateGroupInput,
  payloadField: 'group',
  payloadType: GroupRef,
  resolve: (input, context) => createGroup(context.prisma, input),
});

const AddGroupMemberInput = builder.inputType('AddGroupMemberInput', {
  fields: (t) => ({
    groupId: t.id({ required: true }),
    userId: t.id({ required: true }),
  }),
});

const RemoveGroupMemberInput = builder.inputType('RemoveGroupMemberInput', {
  fields: (t) => ({
    groupId: t.id({ required: true }),
    userId: t.id({ required: true }),
  }),
});

/** The database ids of a membership input; INVALID_INPUT for IDs of another type. */
function parseMember(input: { groupId: string | number; userId: string | number }) {
  return {
    groupId: parseGlobalId(String(input.groupId), 'Group', 'input.groupId'),
    userId: parseGlobalId(String(input.userId), 'User', 'input.userId'),
  };
}

defineMutation({
  name: 'addGroupMember',
  description: 'Administrators: add a user to a group.',
  scope: 'admin',
  input: AddGroupMemberInput,
  payloadField: 'group',
  payloadType: GroupRef,
  resolve: (input, context) => addGroupMember(context.prisma, parseMember(input)),
});

defineMutation({
  name: 'removeGroupMember',
  description: 'Administrators: take a user out of a group.',
  scope: 'admin',
  input: RemoveGroupMemberInput,
  payloadField: 'group',
  payloadType: GroupRef,
  resolve: (input, context) => removeGroupMember(context.prisma, parseMember(input)),
});
