import { appSearchFilter, availableAppsFilter, CATALOG_ORDER } from '../services/catalog';
import { AppIntegrationRef } from './app-integrations';
import { builder } from './builder';

/*
 * The catalog's two lists. Both are Prisma connections, so the relations a
 * client selects on each app (steps, their approvers, notes) load in one
 * query per relation for the whole page, not per app.
 */

builder.queryField('availableApps', (t) =>
  t.prismaConnection({
    type: AppIntegrationRef,
    cursor: 'id',
    description:
      'Apps the viewer may request: active and requestable. Empty while the org has ' +
      'switched app requests off (selfServiceSettings.userAppRequestsEnabled).',
    authScopes: { authenticated: true },
    args: {
      search: t.arg.string({ description: 'Matches name, label or description, any case.' }),
    },
    resolve: async (query, _root, args, context) => {
      const where = await availableAppsFilter(context.prisma, args.search);
      if (!where) {
        return [];
      }

      return context.prisma.appIntegration.findMany({ ...query, where, orderBy: CATALOG_ORDER });
    },
    totalCount: async (_root, args, context) => {
      const where = await availableAppsFilter(context.prisma, args.search);

      return where ? context.prisma.appIntegration.count({ where }) : 0;
    },
  }),
);

builder.queryField('appIntegrations', (t) =>
  t.prismaConnection({
    type: AppIntegrationRef,
    cursor: 'id',
    description: 'Administrators: every app of the catalog, inactive ones too.',
    authScopes: { admin: true },
    args: {
      search: t.arg.string({ description: 'Matches name, label or description, any case.' }),
    },
    resolve: (query, _root, args, context) =>
      context.prisma.appIntegration.findMany({
        ...query,
        where: appSearchFilter(args.search),
        orderBy: CATALOG_ORDER,
      }),
    totalCount: (_root, args, context) =>
      context.prisma.appIntegration.count({ where: appSearchFilter(args.search) }),
  }),
);
