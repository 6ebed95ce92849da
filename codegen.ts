import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * GraphQL Code Generator, run by `npm run codegen`:
 * - schema.graphql, the committed SDL of the Pothos schema (sorted), which
 *   test/schema.test.ts compares with the live schema;
 * - test/generated/, typed documents (client preset) for every `graphql()`
 *   operation the tests send.
 *
 * `npm install` regenerates only the typed documents (CODEGEN_DOCUMENTS_ONLY),
 * so that a schema change without a matching schema.graphql still fails the
 * schema test instead of being papered over by the install.
 */
const documentsOnly = process.env.CODEGEN_DOCUMENTS_ONLY === 'true';

const config: CodegenConfig = {
  overwrite: true,
  schema: './src/schema/index.ts',
  documents: ['test/**/*.ts', '!test/generated/**'],
  ignoreNoDocuments: true,
  generates: {
    ...(!documentsOnly && {
      'schema.graphql': {
        plugins: ['schema-ast'],
        config: { includeDirectives: false, sort: true },
      },
    }),
    'test/generated/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        scalars: {
          DateTime: 'string',
          Duration: 'string',
          EmailAddress: 'string',
          URL: 'string',
        },
      },
    },
  },
};

export default config;
