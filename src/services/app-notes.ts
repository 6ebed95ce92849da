import type { AppNote, AppNoteKind, PrismaClient } from '../generated/prisma/client';
import { NotFoundError } from './errors';
import { assertText } from './validate';

export interface AddAppNoteInput {
  appId: string;
  body: string;
  /** @default 'NOTE' */
  kind?: AppNoteKind | null;
}

/**
 * Adds an administrator's note or comment to an app, signed by `authorId`.
 *
 * @throws InvalidInputError for an empty or over-long body; NotFoundError for an unknown app.
 */
export async function addAppNote(
  prisma: PrismaClient,
  input: AddAppNoteInput,
  authorId: string,
): Promise<AppNote> {
  const body = assertText(input.body, 'input.body', { max: 2_000, required: true });

  const app = await prisma.appIntegration.findUnique({
    where: { id: input.appId },
    select: { id: true },
  });
  if (!app) {
    throw new NotFoundError('input.appId names no app integration', 'input.appId');
  }

  return prisma.appNote.create({
    data: { appId: app.id, authorId, body, kind: input.kind ?? 'NOTE' },
  });
}
