import { lexicographicSortSchema, type GraphQLSchema } from 'graphql';

import { builder } from './builder';
import './errors';
import './users';
import './admin-users';
import './app-integrations';
import './app-integration-mutations';
import './approval-steps';
import './app-notes';
import './catalog';
import './settings';
import './notification-templates';
import './groups';
import './personal-apps';
import './assignments';
import './requests';
import './request-queries';
import './request-mutations';
import './subscriptions';
import './notifications';
import './usage';

/** The whole API. Importing this module registers every type once. */
export const schema: GraphQLSchema = lexicographicSortSchema(builder.toSchema());
