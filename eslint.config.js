import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const EXTENSION_GLOBALS = ['chrome', 'browser'];
const PURE = 'Pure logic here: no extension API, no src/platform. Let src/background or the pages pass in what the browser gives.';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', '.demo/', 'test/fixtures/tokentap-0.1.0/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: { console: 'readonly', process: 'readonly' },
      parserOptions: { projectService: { allowDefaultProject: ['eslint.config.js', 'scripts/*.mjs'] }, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      '@typescript-eslint/no-non-null-assertion': 'off',
      'no-console': ['error', { allow: ['error', 'warn'] }],
      // In recommendedTypeChecked already; named so that no later change drops them unnoticed.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
    },
  },
  {
    // Plain JavaScript has no annotations to narrow an `any` with; the promise rules still apply.
    files: ['**/*.js', '**/*.mjs'],
    rules: {
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    // Protocol, rule and model logic stays free of browser extension APIs (README, Architecture): unit-tested as is.
    files: [
      'src/oauth/**',
      'src/inject/**',
      'src/providers/**',
      'src/accounts/**',
      'src/approvals/**',
      'src/console/pagination.ts',
      'src/console/copy-as.ts',
    ],
    rules: {
      'no-restricted-globals': ['error', ...EXTENSION_GLOBALS.map((name) => ({ name, message: PURE }))],
      'no-restricted-properties': ['error', ...EXTENSION_GLOBALS.map((property) => ({ object: 'globalThis', property, message: PURE }))],
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'webextension-polyfill', message: PURE }],
          patterns: [{ group: ['**/platform', '**/platform.ts', '**/platform.js'], message: PURE }],
        },
      ],
      // What the rules above do not see: a dynamic import, and the APIs' types (`chrome.runtime.Port`, `typeof chrome`).
      'no-restricted-syntax': [
        'error',
        { selector: 'ImportExpression[source.value=/(^|\\/)platform(\\.[jt]s)?$/]', message: PURE },
        { selector: 'TSQualifiedName > Identifier.left[name=/^(chrome|browser)$/]', message: PURE },
        { selector: 'TSTypeQuery > Identifier.exprName[name=/^(chrome|browser)$/]', message: PURE },
      ],
    },
  },
  {
    files: ['demo/**', 'scripts/**', 'test/**', 'bench/**'],
    rules: { 'no-console': 'off' },
  },
);
