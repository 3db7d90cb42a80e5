// @ts-check
import js from '@eslint/js'
import globals from 'globals'
import tseslint from 'typescript-eslint'

/**
 * Import direction inside the SDK: the page side never reaches into the worker's internals, and
 * protocol and shared code depend on neither side.
 * @param {string[]} forbidden
 * @returns {import('eslint').Linter.RulesRecord}
 */
const restrict = (forbidden) => ({
  'no-restricted-imports': [
    /** @type {const} */ ('error'),
    {
      patterns: forbidden.map((group) => ({
        group: [`**/${group}/*`, `../${group}/*`],
        message: `This layer must not import from src/${group}/.`,
      })),
    },
  ],
})

export default tseslint.config(
  {
    ignores: ['**/node_modules/**', '**/dist/**', 'test-results/**', 'playwright-report/**', '.tmp/**', 'docs/api/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      'no-console': ['error', { allow: ['warn', 'error'] }],
      'no-eval': 'error',
      'no-implied-eval': 'error',
      'no-new-func': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  { files: ['packages/client/src/client/**'], rules: restrict(['worker', 'protocol']) },
  { files: ['packages/client/src/worker/**'], rules: restrict(['client']) },
  { files: ['packages/client/src/protocol/**'], rules: restrict(['client', 'worker']) },
  { files: ['packages/client/src/shared/**'], rules: restrict(['client', 'worker', 'protocol']) },
  {
    // Scripts, servers and tests may print.
    files: ['scripts/**', 'demo/**', 'e2e/**', 'bench/**', '**/test/**', '*.config.*'],
    rules: { 'no-console': 'off' },
  },
  // The peers' pages of `pnpm bench`: Vite defines the servers they talk to.
  { files: ['bench/peers/**'], languageOptions: { globals: { __PEERS__: 'readonly' } } },
)
