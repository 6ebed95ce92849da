import {
  resolveCancelRequest,
  resolveDecision,
  resolveDeleteRequest,
  resolveOverrideRequest,
  resolveRequestApp,
  resolveResendNotification,
  resolveSuggestApp,
} from '../resolvers/requests';
import { builder } from './builder';
import { defineMutation } from './mutation';
import { AppRequestRef, AppSuggestionRef } from './requests';

const RequestAppInput = builder.inputType('RequestAppInput', {
  fields: (t) => ({
    appId: t.id({ required: true }),
    justification: t.string({ description: 'Why you need the app; at most 1,000 characters.' }),
    idempotencyKey: t.string({
      description: 'Retrying with the same key returns the first request instead of a new one.',
    }),
  }),
});

const RequestIdInput = (name: string) =>
  builder.inputType(name, { fields: (t) => ({ requestId: t.id({ required: true }) }) });

const DecisionInput = (name: string) =>
  builder.inputType(name, {
    fields: (t) => ({
      requestId: t.id({ required: true }),
      comment: t.string({ description: 'At most 1,000 characters.' }),
    }),
  });

defineMutation({
  name: 'requestApp',
  description: 'Ask for an app. Apps that need no approval are assigned at once.',
  scope: 'authenticated',
  input: RequestAppInput,
  payloadField: 'request',
  payloadType: AppRequestRef,
  resolve: resolveRequestApp,
});

defineMutation({
  name: 'cancelRequest',
  description: 'The requester withdraws a pending request.',
  scope: 'authenticated',
  input: RequestIdInput('CancelRequestInput'),
  payloadField: 'request',
  payloadType: AppRequestRef,
  resolve: resolveCancelRequest,
});

defineMutation({
  name: 'approveRequest',
  description: "Approve the current step; the last step's approval assigns the app.",
  scope: 'authenticated',
  input: DecisionInput('ApproveRequestInput'),
  payloadField: 'request',
  payloadType: AppRequestRef,
  resolve: resolveDecision('APPROVED'),
});

defineMutation({
  name: 'denyRequest',
  description: 'Deny the current step, which ends the request as DENIED.',
  scope: 'authenticated',
  input: DecisionInput('DenyRequestInput'),
  payloadField: 'request',
  payloadType: AppRequestRef,
  resolve: resolveDecision('DENIED'),
});

defineMutation({
  name: 'overrideRequest',
  description: 'Administrators: assign the app now; the remaining steps are recorded as skipped.',
  scope: 'admin',
  input: DecisionInput('OverrideRequestInput'),
  payloadField: 'request',
  payloadType: AppRequestRef,
  resolve: resolveOverrideRequest,
});

defineMutation({
  name: 'deleteRequest',
  description: 'Administrators: end a pending request with a reason the requester is told.',
  scope: 'admin',
  input: builder.inputType('DeleteRequestInput', {
    fields: (t) => ({
      requestId: t.id({ required: true }),
      reason: t.string({ required: true }),
    }),
  }),
  payloadField: 'request',
  payloadType: AppRequestRef,
  resolve: resolveDeleteRequest,
});

defineMutation({
  name: 'resendNotification',
  description: "Administrators: send the current step's approval-required notification again.",
  scope: 'admin',
  input: RequestIdInput('ResendNotificationInput'),
  payloadField: 'request',
  payloadType: AppRequestRef,
  resolve: resolveResendNotification,
});

defineMutation({
  name: 'suggestApp',
  description: "Suggest an app that is not in the catalog to the org's technical contact.",
  scope: 'authenticated',
  input: builder.inputType('SuggestAppInput', {
    fields: (t) => ({
      name: t.string({ required: true }),
      url: t.string({ required: true }),
      note: t.string(),
    }),
  }),
  payloadField: 'suggestion',
  payloadType: AppSuggestionRef,
  resolve: resolveSuggestApp,
});
