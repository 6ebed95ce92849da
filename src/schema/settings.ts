import { getOrgSettings, updateOrgSettings } from '../services/settings';
import { listTemplates } from '../services/templates';
import { builder } from './builder';
import { defineMutation } from './mutation';
import { NotificationTemplateRef } from './notification-templates';

/*
 * The org's self-service settings: one object, readable by everyone signed
 * in (clients need them to show or hide features), changed by
 * administrators.
 */

export const SelfServiceSettingsRef = builder.prismaObject('OrgSettings', {
  name: 'SelfServiceSettings',
  fields: (t) => ({
    userAppRequestsEnabled: t.exposeBoolean('userAppRequestsEnabled', {
      description: 'Whether end users may request apps from the catalog.',
    }),
    allowPersonalApps: t.exposeBoolean('allowPersonalApps', {
      description: 'Whether end users may add personal apps to their dashboard.',
    }),
    technicalContactEmail: t.expose('technicalContactEmail', {
      type: 'EmailAddress',
      nullable: true,
      description: 'Set: users may suggest apps that are not in the catalog; this address hears.',
    }),
    defaultApprovalTimeout: t.expose('defaultApprovalTimeout', {
      type: 'Duration',
      description: 'The approval window of steps that set none of their own.',
    }),
    notificationTemplates: t.field({
      type: [NotificationTemplateRef],
      description: 'One template per event, stored or default. Empty for non-administrators.',
      authScopes: { admin: true },
      // Everyone may read the settings; only this field is for
      // administrators, and a refusal here should not fail the whole query.
      unauthorizedResolver: () => [],
      resolve: (_settings, _args, context) => listTemplates(context.prisma),
    }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

builder.queryField('selfServiceSettings', (t) =>
  t.field({
    type: SelfServiceSettingsRef,
    description: "The org's self-service settings.",
    authScopes: { authenticated: true },
    // The row has no relations to select, so there is no Prisma query to pass on.
    resolve: (_root, _args, context) => getOrgSettings(context.prisma),
  }),
);

const UpdateSelfServiceSettingsInput = builder.inputType('UpdateSelfServiceSettingsInput', {
  description: 'Only the fields sent change.',
  fields: (t) => ({
    userAppRequestsEnabled: t.boolean(),
    allowPersonalApps: t.boolean(),
    technicalContactEmail: t.string({ description: 'Null or blank removes the contact.' }),
    defaultApprovalTimeout: t.string({ description: 'An ISO-8601 duration such as P7D.' }),
  }),
});

defineMutation({
  name: 'updateSelfServiceSettings',
  description: "Administrators: change the org's self-service settings.",
  scope: 'admin',
  input: UpdateSelfServiceSettingsInput,
  payloadField: 'settings',
  payloadType: SelfServiceSettingsRef,
  resolve: (input, context) => updateOrgSettings(context.prisma, input),
});
