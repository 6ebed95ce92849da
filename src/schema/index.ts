import { lexicographicSortSchema, type GraphQLSchema } from 'graphql';

import { builder } from './builder';
import './errors';
import './users';
import './admin-users';

/** The whole API. Importing this module registers every type once. */
export const schema: GraphQLSchema = lexicographicSortSchema(builder.toSchema());
