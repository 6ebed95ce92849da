import { configureSelfService, createApp, updateApp } from '../services/apps';
import { AppIntegrationRef, SignOnModeEnum } from './app-integrations';
import { builder } from './builder';
import { parseGlobalId } from './global-id';
import { defineMutation } from './mutation';

/*
 * Administrators' edits of the catalog. URLs, e-mails and durations arrive
 * as strings and are checked by the services, so a bad one answers with an
 * InvalidInputError naming the field rather than a request-level error.
 */

const CreateAppIntegrationInput = builder.inputType('CreateAppIntegrationInput', {
  fields: (t) => ({
    name: t.string({
      required: true,
      description: 'Unique key, stored lower-case: a-z, 0-9, "-", "_", "."; at most 100.',
    }),
    label: t.string({ required: true, description: 'Display name; at most 200.' }),
    description: t.string({ description: 'At most 2000 characters.' }),
    logoUrl: t.string({ description: 'An http(s) URL.' }),
    launchUrl: t.string({ description: 'An http(s) URL.' }),
    signOnMode: t.field({ type: SignOnModeEnum, description: 'Default SAML_2_0.' }),
    requestable: t.boolean({ description: 'Default false.' }),
    approvalRequired: t.boolean({ description: 'Default true.' }),
    requesterNote: t.string({ description: 'At most 500 characters.' }),
    notifyEmails: t.stringList({ description: 'Also told when a request ends.' }),
  }),
});

defineMutation({
  name: 'createAppIntegration',
  description: 'Administrators: add an app to the catalog.',
  scope: 'admin',
  input: CreateAppIntegrationInput,
  payloadField: 'app',
  payloadType: AppIntegrationRef,
  resolve: (input, context) => createApp(context.prisma, input),
});

const UpdateAppIntegrationInput = builder.inputType('UpdateAppIntegrationInput', {
  description:
    'Fields left out stay as they are. Null clears description, logoUrl and launchUrl; ' +
    'on the other fields it changes nothing.',
  fields: (t) => ({
    appId: t.id({ required: true }),
    label: t.string(),
    description: t.string(),
    logoUrl: t.string(),
    launchUrl: t.string(),
    active: t.boolean({ description: 'Deactivating an app ends its pending requests.' }),
    notifyEmails: t.stringList(),
  }),
});

defineMutation({
  name: 'updateAppIntegration',
  description: "Administrators: edit an app's catalog entry.",
  scope: 'admin',
  input: UpdateAppIntegrationInput,
  payloadField: 'app',
  payloadType: AppIntegrationRef,
  resolve: (input, context) => {
    const appId = parseGlobalId(input.appId, 'AppIntegration', 'input.appId');

    return updateApp(context, { ...input, appId }, context.viewer.id);
  },
});

const ConfigureAppSelfServiceInput = builder.inputType('ConfigureAppSelfServiceInput', {
  description: 'Fields left out stay as they are; null clears requesterNote.',
  fields: (t) => ({
    appId: t.id({ required: true }),
    requestable: t.boolean({ description: 'Turning it off ends pending requests.' }),
    approvalRequired: t.boolean({ description: 'Turning it off ends pending requests.' }),
    requesterNote: t.string({ description: 'Shown to requesters; at most 500 characters.' }),
  }),
});

defineMutation({
  name: 'configureAppSelfService',
  description: 'Administrators: set whether and how end users may request an app.',
  scope: 'admin',
  input: ConfigureAppSelfServiceInput,
  payloadField: 'app',
  payloadType: AppIntegrationRef,
  resolve: (input, context) => {
    const appId = parseGlobalId(input.appId, 'AppIntegration', 'input.appId');

    return configureSelfService(context, { ...input, appId }, context.viewer.id);
  },
});
