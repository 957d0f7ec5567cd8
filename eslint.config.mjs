// eslint's flat configuration: `npm run lint:eslint` (part of `npm run lint`, so of `npm test`),
// with zero warnings allowed. eslint's and typescript-eslint's recommended rules, and nothing
// switched off wholesale: a rule that does not fit one line is disabled on that line, with the reason.
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default defineConfig(
  // Installed, built or generated: not ours to lint.
  globalIgnores(['node_modules/', 'dist/', 'cdktf.out/', '.tools/', '.tmp/']),
  {
    // A disable comment that no longer silences anything is itself an error: it would hide the next real finding.
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.mts'],
    rules: {
      // `_`-prefixed names are deliberately unused (a parameter a signature requires, a skipped tuple slot).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' }],
    },
  },
  {
    // Scripts, the build's cdktf patches and the test helpers written in JavaScript run on node.
    files: ['**/*.js', '**/*.cjs', '**/*.mjs'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['**/*.cjs', 'src/cli/fast/cdktf/*.js', 'scripts/bench/*.js'],
    languageOptions: { sourceType: 'commonjs' },
    rules: {
      // CommonJS files load their modules with require().
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
);
