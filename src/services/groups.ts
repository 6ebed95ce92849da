import type { Group, Prisma, PrismaClient } from '../generated/prisma/client';
import { ConflictError, NotFoundError } from './errors';
import { isUniqueViolation } from './users';
import { assertText } from './validate';

/*
 * Groups of users, managed by administrators. A group can be an approval
 * step's approver: any one member may decide.
 */

export const GROUP_NAME_MAX_LENGTH = 100;
export const GROUP_DESCRIPTION_MAX_LENGTH = 1_000;
const SEARCH_MAX_LENGTH = 200;

export interface CreateGroupInput {
  name: string;
  description?: string | null;
}

/**
 * Creates a group. Throws InvalidInputError naming `input.name` (empty or
 * over 100 characters) or `input.description`, and ConflictError when a
 * group of that name exists, compared case-insensitively.
 */
export async function createGroup(prisma: PrismaClient, input: CreateGroupInput): Promise<Group> {
  const name = assertText(input.name, 'input.name', {
    max: GROUP_NAME_MAX_LENGTH,
    required: true,
  });
  const description = assertText(input.description, 'input.description', {
    max: GROUP_DESCRIPTION_MAX_LENGTH,
  });

  // The unique index on groups.name is case-sensitive, so "Finance" and
  // "finance" are told apart here. Two administrators creating both
  // spellings at the same instant could still both succeed; a unique index
  // on lower(name) would close that gap but needs a migration.
  const existing = await prisma.group.findFirst({
    where: { name: { equals: name, mode: 'insensitive' } },
    select: { name: true },
  });
  if (existing) {
    throw new ConflictError(`a group named "${existing.name}" already exists`);
  }

  try {
    return await prisma.group.create({ data: { name, description } });
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new ConflictError(`a group named "${name}" already exists`);
    }
    throw error;
  }
}

export interface GroupMemberInput {
  groupId: string;
  userId: string;
}

/** Throws NotFoundError naming the input field of whichever does not exist. */
async function assertGroupAndUser(prisma: PrismaClient, input: GroupMemberInput): Promise<void> {
  const [group, user] = await Promise.all([
    prisma.group.findUnique({ where: { id: input.groupId }, select: { id: true } }),
    prisma.user.findUnique({ where: { id: input.userId }, select: { id: true } }),
  ]);

  if (!group) {
    throw new NotFoundError(`no group with ID ${input.groupId}`, 'input.groupId');
  }
  if (!user) {
    throw new NotFoundError(`no user with ID ${input.userId}`, 'input.userId');
  }
}

/**
 * Adds a user to a group and returns the group. Throws NotFoundError when
 * the group or the user does not exist and ConflictError when the user is
 * already a member.
 */
export async function addGroupMember(
  prisma: PrismaClient,
  input: GroupMemberInput,
): Promise<Group> {
  await assertGroupAndUser(prisma, input);

  const existing = await prisma.groupMembership.findUnique({
    where: { groupId_userId: input },
    select: { userId: true },
  });
  if (existing) {
    throw new ConflictError('the user is already a member of the group');
  }

  try {
    await prisma.groupMembership.create({ data: input });
  } catch (error) {
    // Someone added the same member between the check and the insert.
    if (isUniqueViolation(error)) {
      throw new ConflictError('the user is already a member of the group');
    }
    throw error;
  }

  return prisma.group.findUniqueOrThrow({ where: { id: input.groupId } });
}

/**
 * Removes a user from a group and returns the group. Throws NotFoundError
 * when the group or the user does not exist, or the user is not a member
 * (naming `input.userId`).
 */
export async function removeGroupMember(
  prisma: PrismaClient,
  input: GroupMemberInput,
): Promise<Group> {
  await assertGroupAndUser(prisma, input);

  const removed = await prisma.groupMembership.deleteMany({ where: input });
  if (removed.count === 0) {
    throw new NotFoundError('the user is not a member of the group', 'input.userId');
  }

  return prisma.group.findUniqueOrThrow({ where: { id: input.groupId } });
}

/** The text of a `search` argument, or null for none. */
function searchText(search: string | null | undefined): string | null {
  return assertText(search, 'search', { max: SEARCH_MAX_LENGTH });
}

/** Groups whose name or description contains `search`, ignoring case. */
export function groupSearchFilter(search: string | null | undefined): Prisma.GroupWhereInput {
  const text = searchText(search);
  if (!text) {
    return {};
  }

  return {
    OR: [
      { name: { contains: text, mode: 'insensitive' } },
      { description: { contains: text, mode: 'insensitive' } },
    ],
  };
}

/**
 * Users whose e-mail or name contains `search`, ignoring case: how an
 * administrator finds the people to add to a group or name as approvers.
 */
export function userSearchFilter(search: string | null | undefined): Prisma.UserWhereInput {
  const text = searchText(search);
  if (!text) {
    return {};
  }

  return {
    OR: [
      { email: { contains: text, mode: 'insensitive' } },
      { name: { contains: text, mode: 'insensitive' } },
    ],
  };
}
