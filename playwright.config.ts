import { defineConfig } from '@playwright/test';

const port = Number(process.env.E2E_PORT || 3100);
// E2E_STORE=postgres (with TEST_POSTGRES_URL) runs the same suite on a scratch PostgreSQL database;
// the default is a temp SQLite file. See scripts/e2e-server.mjs.

export default defineConfig({
  testDir: './e2e',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  reporter: process.env.CI ? [['list']] : [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-quic',
        '--no-first-run',
      ],
    },
  },
  webServer: {
    command: 'node scripts/e2e-server.mjs',
    url: `http://127.0.0.1:${port}/api/health`,
    reuseExistingServer: false,
    timeout: 600_000,
    stdout: 'ignore',
    stderr: 'pipe',
    // SIGTERM first, so scripts/e2e-server.mjs removes its temp dir and (E2E_STORE=postgres) drops
    // its scratch database; without this Playwright SIGKILLs the server's process group.
    gracefulShutdown: { signal: 'SIGTERM', timeout: 15_000 },
  },
});
