// ESLint (flat config): typescript-eslint's type-checked recommended rules on the TypeScript tree,
// ESLint's recommended rules on the few JavaScript files; formatting is Prettier's job (eslint-config-prettier last).
import eslint from '@eslint/js';
import { defineConfig } from 'eslint/config';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

export default defineConfig(
  // Build output, codegen output, reports (node_modules/ is ignored by ESLint itself).
  { ignores: ['dist/', 'test/generated/', 'bench-results/', 'coverage/'] },
  eslint.configs.recommended,
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      // Each file is checked with the types of the tsconfig.json that includes it (src, migrations, test).
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // A leading underscore marks a name that has to be there but is unused: Express tells error handlers by
      // their four parameters, and `{ omitted: _omitted, ...rest }` drops a field.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      // Apollo plugin hooks, the gateway interface and teardown callbacks must return promises; `async` without
      // `await` is how they say so. A promise that is dropped is still caught by no-floating-promises.
      '@typescript-eslint/require-await': 'off',
    },
  },
  { files: ['**/*.js'], languageOptions: { sourceType: 'commonjs' } },
  prettier,
);
