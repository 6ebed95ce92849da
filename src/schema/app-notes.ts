import { AppNoteKind } from '../generated/prisma/client';
import { addAppNote } from '../services/app-notes';
import { builder } from './builder';
import { parseGlobalId } from './global-id';
import { defineMutation } from './mutation';

export const AppNoteKindEnum = builder.enumType(AppNoteKind, { name: 'AppNoteKind' });

export const AppNoteRef = builder.prismaNode('AppNote', {
  id: { field: 'id' },
  // node(id:) answers null for an ID that finds nothing.
  nullable: true,
  authScopes: { authenticated: true },
  description: "An administrator's note or comment on an app.",
  fields: (t) => ({
    kind: t.expose('kind', { type: AppNoteKindEnum }),
    body: t.exposeString('body'),
    author: t.relation('author'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

const AddAppNoteInput = builder.inputType('AddAppNoteInput', {
  fields: (t) => ({
    appId: t.id({ required: true }),
    body: t.string({ required: true, description: 'At most 2000 characters.' }),
    kind: t.field({ type: AppNoteKindEnum, description: 'Default NOTE.' }),
  }),
});

defineMutation({
  name: 'addAppNote',
  description: 'Administrators: add a note or comment to an app, signed by the viewer.',
  scope: 'admin',
  input: AddAppNoteInput,
  payloadField: 'note',
  payloadType: AppNoteRef,
  resolve: (input, context) => {
    const appId = parseGlobalId(input.appId, 'AppIntegration', 'input.appId');

    return addAppNote(context.prisma, { ...input, appId }, context.viewer.id);
  },
});
