import next from 'eslint-config-next';
import nextTs from 'eslint-config-next/typescript';

// Layers (README, Architecture): app → lib → db, components → lib; checked per folder here and
// for cycles between folders by scripts/check-import-cycles.mjs. Tests may reach across.
const TESTS = ['**/*.test.ts', '**/*.test.tsx'];
const NOT_IN_LIB = [
  {
    group: ['@/app', '@/app/*', '@/components', '@/components/*'],
    message: 'lib/ is the domain: it serves app/ and components/, never imports them.',
  },
  {
    group: ['next', 'next/*', 'react', 'react/*', 'react-dom', 'react-dom/*'],
    message: 'lib/ is free of React and Next: pass what it needs in.',
  },
  {
    group: ['@/tests', '@/tests/*'],
    message: 'Test fixtures live in tests/ and are imported by tests only.',
  },
];
const layer = (files, patterns, ignores = TESTS) => ({
  files,
  ignores,
  rules: { 'no-restricted-imports': ['error', { patterns }] },
});

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
  layer(
    ['app/**/*.{ts,tsx}'],
    [
      {
        group: ['@/db', '@/db/*'],
        message:
          'app/ reads and writes through lib/ (query modules such as lib/journeys/queries), never db/.',
      },
      { group: ['@/tests', '@/tests/*'], message: 'Test fixtures are for tests.' },
    ],
  ),
  layer(
    ['components/**/*.{ts,tsx}'],
    [
      {
        group: ['@/app', '@/app/*'],
        message: 'components/ is UI only: pages hand in data and server actions as props.',
      },
      { group: ['@/db', '@/db/*'], message: 'components/ is UI only: data comes from pages or API routes.' },
    ],
  ),
  layer(['lib/**/*.ts'], NOT_IN_LIB),
  layer(
    ['lib/journey/**/*.ts'],
    [
      ...NOT_IN_LIB,
      {
        group: ['@/db', '@/db/*'],
        message: 'lib/journey is pure: graph, step declarations and rules over plain data, no database.',
      },
    ],
  ),
  layer(
    ['db/**/*.ts'],
    [
      {
        group: ['@/lib/*', '!@/lib/config', '!@/lib/config/*', '!@/lib/vocabulary', '!@/lib/vocabulary/*'],
        message:
          'db/ imports only lib/config and lib/vocabulary: the domain depends on the store, not the other way.',
      },
      { group: ['@/app', '@/app/*', '@/components', '@/components/*'], message: 'db/ is the lowest layer.' },
    ],
  ),
  {
    // Test helpers named use* (vitest lifecycle, Playwright fixtures) are not React hooks.
    files: ['**/*.test.ts', 'tests/**', 'e2e/**', 'scripts/**'],
    rules: { 'react-hooks/rules-of-hooks': 'off' },
  },
];
export default config;
