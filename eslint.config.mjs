import next from 'eslint-config-next';
import nextTs from 'eslint-config-next/typescript';

const config = [
  ...next,
  ...nextTs,
  {
    ignores: [
      'node_modules/**',
      '.next*/**',
      'data/**',
      'db/migrations/**',
      'test-results/**',
      'playwright-report/**',
      'next-env.d.ts',
    ],
  },
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // The store is async: a call that is neither awaited nor handled is a lost write or read.
    files: [
      'app/**/*.{ts,tsx}',
      'lib/**/*.ts',
      'db/**/*.ts',
      'scripts/**/*.ts',
      'tests/**/*.ts',
      'e2e/**/*.ts',
    ],
    languageOptions: { parserOptions: { projectService: true } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
    },
  },
  {
    // Test helpers named use* (vitest lifecycle, Playwright fixtures) are not React hooks.
    files: ['**/*.test.ts', 'tests/**', 'e2e/**', 'scripts/**'],
    rules: { 'react-hooks/rules-of-hooks': 'off' },
  },
];
export default config;
