import { SignOnMode } from '../generated/prisma/client';
import { builder } from './builder';

/*
 * An app of the catalog as everyone signed in sees it. Who is told about
 * its requests (notifyEmails) is for administrators only.
 */

export const SignOnModeEnum = builder.enumType(SignOnMode, { name: 'SignOnMode' });

/** The self-service columns of an app row, shown as one object. */
interface SelfServiceShape {
  requestable: boolean;
  approvalRequired: boolean;
  requesterNote: string | null;
}

export const AppSelfServiceRef = builder.objectRef<SelfServiceShape>('AppSelfService').implement({
  description: 'Whether and how end users may request an app.',
  fields: (t) => ({
    requestable: t.exposeBoolean('requestable', {
      description: 'The app is listed in Available Apps and may be requested.',
    }),
    approvalRequired: t.exposeBoolean('approvalRequired', {
      description: 'Requests pass the approval workflow; otherwise they are granted at once.',
    }),
    requesterNote: t.exposeString('requesterNote', {
      nullable: true,
      description: 'Shown to people who request the app.',
    }),
  }),
});

export const AppIntegrationRef = builder.prismaNode('AppIntegration', {
  id: { field: 'id' },
  // node(id:) answers null for an ID that finds nothing.
  nullable: true,
  authScopes: { authenticated: true },
  fields: (t) => ({
    name: t.exposeString('name', { description: 'A stable, unique key such as "salesforce".' }),
    label: t.exposeString('label'),
    description: t.exposeString('description', { nullable: true }),
    logoUrl: t.expose('logoUrl', { type: 'URL', nullable: true }),
    launchUrl: t.expose('launchUrl', { type: 'URL', nullable: true }),
    signOnMode: t.expose('signOnMode', { type: SignOnModeEnum }),
    active: t.exposeBoolean('active', {
      description: 'Inactive apps stay in the catalog for administrators but cannot be requested.',
    }),
    selfService: t.field({ type: AppSelfServiceRef, resolve: (app) => app }),
    approvalSteps: t.relation('approvalSteps', {
      description: 'The approval workflow, first step first.',
      query: { orderBy: { position: 'asc' } },
    }),
    notes: t.relation('notes', {
      description: "Administrators' notes and comments, newest first.",
      query: { orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] },
    }),
    notifyEmails: t.exposeStringList('notifyEmails', {
      description: 'Also told when a request ends. Administrators only; others get [].',
      authScopes: { admin: true },
      unauthorizedResolver: () => [],
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});
