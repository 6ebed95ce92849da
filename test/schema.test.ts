import fs from 'node:fs';
import path from 'node:path';

import { lexicographicSortSchema, printSchema } from 'graphql';

import { schema } from '../src/schema';

describe('schema.graphql', () => {
  it('matches the Pothos schema (run `npm run codegen` after changing the schema)', () => {
    const committed = fs.readFileSync(path.join(__dirname, '..', 'schema.graphql'), 'utf8');

    expect(committed.trim()).toBe(printSchema(lexicographicSortSchema(schema)).trim());
  });
});
