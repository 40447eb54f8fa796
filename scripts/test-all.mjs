// `npm test`: lint, typecheck, unit/integration tests, Playwright e2e; ends with "N passed, N failed".
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';

const bin = (name) => path.resolve('node_modules/.bin', name);
const reportDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tarmo-test-report-'));
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1' };
let passed = 0;
let failed = 0;
const failedSteps = [];

function run(label, command, args, extraEnv = {}) {
  console.log(`\n=== ${label} ===`);
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...env, ...extraEnv } });
  if (result.status !== 0) failedSteps.push(label);
  return result.status === 0;
}

const lintOk =
  run('lint (ESLint, with the layer rules)', bin('eslint'), ['.', '--max-warnings=0']) &&
  run('layers (no import cycles between folders)', process.execPath, ['scripts/check-import-cycles.mjs']) &&
  run('format (Prettier)', bin('prettier'), ['--check', '.', '--log-level', 'warn']);
if (lintOk) passed++;
else failed++;
const typesOk = run('typecheck', bin('tsc'), ['--noEmit', '-p', '.']);
if (typesOk) passed++;
else failed++;

/** Runs vitest with a JSON report and adds its counts. */
function vitest(label, name, args, extraEnv = {}) {
  const json = path.join(reportDir, `${name}.json`);
  run(
    label,
    bin('vitest'),
    ['run', ...args, '--reporter=default', '--reporter=json', `--outputFile.json=${json}`],
    extraEnv,
  );
  try {
    const report = JSON.parse(fs.readFileSync(json, 'utf8'));
    passed += report.numPassedTests ?? 0;
    failed += report.numFailedTests ?? 0;
    // A file that fails to load has no failed test but must still count.
    if (!report.numFailedTests && report.numFailedTestSuites) failed += report.numFailedTestSuites;
    if (report.numTotalTests === 0) failed++;
  } catch {
    failed++;
  }
}

vitest('unit and integration tests (vitest, SQLite; tests/pg on PostgreSQL)', 'vitest', []);
// The same domain suite once more with every test database on PostgreSQL (one store, two databases).
if (process.env.TEST_POSTGRES_URL) {
  vitest(
    'unit and integration tests on PostgreSQL (vitest, TEST_STORE=postgres)',
    'vitest-pg',
    ['--exclude', 'tests/pg/**'],
    {
      TEST_STORE: 'postgres',
    },
  );
} else {
  console.log('\n=== unit and integration tests on PostgreSQL: skipped (TEST_POSTGRES_URL is not set) ===');
}

/** Runs Playwright with a JSON report and adds its counts. */
function playwright(label, name, extraEnv = {}) {
  const json = path.join(reportDir, `${name}.json`);
  run(label, bin('playwright'), ['test', '--reporter=list,json'], {
    PLAYWRIGHT_JSON_OUTPUT_NAME: json,
    ...extraEnv,
  });
  try {
    const stats = JSON.parse(fs.readFileSync(json, 'utf8')).stats;
    passed += (stats.expected ?? 0) + (stats.flaky ?? 0);
    failed += stats.unexpected ?? 0;
    if ((stats.expected ?? 0) + (stats.flaky ?? 0) + (stats.unexpected ?? 0) === 0) failed++;
  } catch {
    failed++;
  }
}

playwright('end-to-end tests (Playwright, Chromium)', 'playwright', { E2E_STORE: 'sqlite' });
// The same suite once more with the web app and worker on a scratch PostgreSQL database, on its own
// port so leftovers of the first pass never collide.
if (process.env.TEST_POSTGRES_URL) {
  playwright('end-to-end tests on PostgreSQL (Playwright, E2E_STORE=postgres)', 'playwright-pg', {
    E2E_STORE: 'postgres',
    E2E_PORT: '3300',
  });
} else {
  console.log('\n=== end-to-end tests on PostgreSQL: skipped (TEST_POSTGRES_URL is not set) ===');
}

fs.rmSync(reportDir, { recursive: true, force: true });
if (failedSteps.length) console.log(`\nFailed: ${failedSteps.join(', ')}`);
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed > 0 || failedSteps.length > 0 ? 1 : 0);
