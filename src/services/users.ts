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
    // The first requests of a new user may race to create them; the unique
    // e-mail lets one win, and the others read what it wrote.
    try {
      user = await prisma.user.create({
        data: { email: identity.email, name: identity.name ?? null },
      });
    } catch (error) {
      if (!isUniqueViolation(error)) {
        throw error;
      }
      user = await prisma.user.findUniqueOrThrow({ where: { email: identity.email } });
    }
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

/**
 * A unique-constraint failure: Prisma's P2002, or PostgreSQL's 23505 as the
 * PGlite driver adapter reports it (it does not map the code to P2002).
 */
export function isUniqueViolation(error: unknown): boolean {
  const failure = error as { code?: unknown; cause?: { code?: unknown } } | null;

  return failure?.code === 'P2002' || failure?.cause?.code === '23505';
}

export function assertNotSelf(viewer: Viewer, userId: string, field: string): void {
  if (viewer.id === userId) {
    throw new InvalidInputError(field, `${field} may not name yourself`);
  }
}
