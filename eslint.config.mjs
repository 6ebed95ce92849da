// ESLint flat config: JavaScript's and typescript-eslint's recommended rules,
// no `any`, and no console in library code (the server logs through pino;
// only the entry point writes to the terminal directly).
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  globalIgnores([
    'node_modules/',
    'dist/',
    'data/',
    'src/generated/',
    'test/generated/',
    'coverage/',
    'artifacts/',
  ]),
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: {
      globals: globals.node,
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
        },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: {
      // CommonJS configuration files (jest.config.js) use require/module.
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  {
    files: ['src/**'],
    ignores: ['src/main.ts'],
    rules: {
      'no-console': 'error',
    },
  },
);
