import type { Prisma, PrismaClient, User } from '../generated/prisma/client';
import type { TokenIdentity } from '../auth/tokens';
import { ConflictError, InvalidInputError } from './errors';
import { assertEmail, assertText } from './validate';

/** The signed-in user, with administrator rights already worked out. */
export type Viewer = User & { isAdmin: boolean };

/** Administrators are granted in the database or named by ADMIN_EMAILS. */
export function asViewer(user: User, adminEmails: ReadonlySet<string>): Viewer {
  return { ...user, isAdmin: user.isAdmin || adminEmails.has(user.email) };
}

/**
 * Finds the user a verified token names, creating a plain end user on first
 * sight (just in time). A `name` claim updates the display name.
 */
export async function resolveViewer(
  prisma: PrismaClient,
  identity: TokenIdentity,
  adminEmails: ReadonlySet<string>,
): Promise<Viewer> {
  let user = await prisma.user.findUnique({ where: { email: identity.email } });

  if (!user) {
    // Two first requests of one new user may race; upsert settles it.
    user = await prisma.user.upsert({
      where: { email: identity.email },
      create: { email: identity.email, name: identity.name ?? null },
      update: {},
    });
  } else if (identity.name && identity.name !== user.name) {
    user = await prisma.user.update({ where: { id: user.id }, data: { name: identity.name } });
  }

  return asViewer(user, adminEmails);
}

export interface CreateUserInput {
  email: string;
  name?: string | null;
  isAdmin?: boolean | null;
}

export async function createUser(prisma: PrismaClient, input: CreateUserInput): Promise<User> {
  const email = assertEmail(input.email, 'input.email');
  const name = assertText(input.name, 'input.name', { max: 200 });

  const data: Prisma.UserCreateInput = { email, name, isAdmin: input.isAdmin ?? false };
  const existing = await prisma.user.findUnique({ where: { email } });
  if (existing) {
    throw new ConflictError(`a user with e-mail ${email} already exists`);
  }

  try {
    return await prisma.user.create({ data });
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new ConflictError(`a user with e-mail ${email} already exists`);
    }
    throw error;
  }
}

/** Prisma's code for a unique-constraint failure. */
export function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'P2002';
}

export function assertNotSelf(viewer: Viewer, userId: string, field: string): void {
  if (viewer.id === userId) {
    throw new InvalidInputError(field, `${field} may not name yourself`);
  }
}
