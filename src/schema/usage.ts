import type { ObjectRef } from '@pothos/core';

import type { UserAddedApplication } from '../services/personal-apps';
import {
  expiredCount,
  personalAppUsage,
  requestsByApp,
  requestsByStatus,
  timeToDecision,
  type AppRequestUsage,
  type PersonalAppUsage,
  type RequestStatusCount,
  type TimeToDecision,
} from '../services/usage';
import { builder } from './builder';
import { AppRequestStatusEnum } from './requests';

/*
 * The Usage tab. `selfServiceUsage` returns an empty object and each field
 * runs its own statement, so a client that shows one figure pays for one.
 */

// src/schema/personal-apps.ts implements UserAddedApplication without
// exporting its ref; Pothos resolves a type by its name as well, so the
// same type is reused here instead of a second one of the same shape.
// Exporting the ref from that module would make this cast unnecessary.
const UserAddedApplicationType = 'UserAddedApplication' as unknown as ObjectRef<
  typeof builder.$inferSchemaTypes,
  UserAddedApplication
>;

const RequestStatusCountRef = builder
  .objectRef<RequestStatusCount>('RequestStatusCount')
  .implement({
    description: 'How many requests have one status.',
    fields: (t) => ({
      status: t.expose('status', { type: AppRequestStatusEnum }),
      count: t.exposeInt('count'),
    }),
  });

const AppRequestUsageRef = builder.objectRef<AppRequestUsage>('AppRequestUsage').implement({
  description: "One app's requests, by status.",
  fields: (t) => ({
    app: t.prismaField({
      type: 'AppIntegration',
      // Prisma batches the findUnique calls of one tick into a single query.
      resolve: (query, usage, _args, context) =>
        context.prisma.appIntegration.findUniqueOrThrow({ ...query, where: { id: usage.appId } }),
    }),
    total: t.exposeInt('total'),
    pending: t.exposeInt('pending'),
    approved: t.exposeInt('approved'),
    denied: t.exposeInt('denied'),
    expired: t.exposeInt('expired'),
    cancelled: t.exposeInt('cancelled'),
  }),
});

const TimeToDecisionRef = builder.objectRef<TimeToDecision>('TimeToDecision').implement({
  description:
    'How long requests waited from submission to their outcome. Counts requests that ended ' +
    'APPROVED, DENIED or EXPIRED after at least one step was decided (by a person or a timeout).',
  fields: (t) => ({
    decided: t.exposeInt('decided', { description: 'How many requests the figures cover.' }),
    medianSeconds: t.exposeFloat('medianSeconds', {
      nullable: true,
      description: 'Null while no request has been decided.',
    }),
    p90Seconds: t.exposeFloat('p90Seconds', {
      nullable: true,
      description: '90th percentile; null while no request has been decided.',
    }),
  }),
});

const PersonalAppUsageRef = builder.objectRef<PersonalAppUsage>('PersonalAppUsage').implement({
  description: 'Personal apps across the org: links people keep for tools the catalog lacks.',
  fields: (t) => ({
    total: t.exposeInt('total', { description: 'Personal apps in all.' }),
    users: t.exposeInt('users', { description: 'People with at least one personal app.' }),
    distinctApps: t.exposeInt('distinctApps', {
      description: 'Different apps, grouped by name and URL as userAddedApplications does.',
    }),
    top: t.field({
      type: [UserAddedApplicationType],
      description: 'The ten most widely used, as userAddedApplications lists them.',
      resolve: (usage) => usage.top,
    }),
  }),
});

/** The root object; every figure is computed by its own field. */
type SelfServiceUsage = Record<string, never>;

const SelfServiceUsageRef = builder.objectRef<SelfServiceUsage>('SelfServiceUsage').implement({
  description: 'The Usage tab: how self service is used across the org.',
  fields: (t) => ({
    requestsByStatus: t.field({
      type: [RequestStatusCountRef],
      description: 'Every status, zeros included.',
      resolve: (_usage, _args, context) => requestsByStatus(context.prisma),
    }),
    requestsByApp: t.field({
      type: [AppRequestUsageRef],
      description: 'The 50 most requested apps, most requests first.',
      resolve: (_usage, _args, context) => requestsByApp(context.prisma),
    }),
    timeToDecision: t.field({
      type: TimeToDecisionRef,
      resolve: (_usage, _args, context) => timeToDecision(context.prisma),
    }),
    expiredCount: t.int({
      description: 'Requests that expired because no decision was made in time.',
      resolve: (_usage, _args, context) => expiredCount(context.prisma),
    }),
    personalApps: t.field({
      type: PersonalAppUsageRef,
      resolve: (_usage, _args, context) => personalAppUsage(context.prisma),
    }),
  }),
});

builder.queryField('selfServiceUsage', (t) =>
  t.field({
    type: SelfServiceUsageRef,
    description: 'Administrators: the Usage tab.',
    authScopes: { admin: true },
    resolve: () => ({}),
  }),
);
