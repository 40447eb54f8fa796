// The worker runs as one process (node --import tsx), so a signal reaches the worker itself.
// Starts a throw-away Tarmo for Playwright: temp SQLite file, real migrations, demo seed with a
// known password, a real SMTP sink that writes each parsed mail to a JSON-lines mailbox, the
// production build under `next start`, and the executor worker.
// E2E_STORE=postgres: the store is a scratch PostgreSQL database created from TEST_POSTGRES_URL
// (tarmo_e2e_<port>_<random>) and dropped again on SIGTERM/SIGINT; TARMO_DATA_DIR stays the temp dir.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';
import pg from 'pg';
import { ensureBuild } from './lib/build.mjs';
import { startTestOidcProvider, TEST_OIDC_ROLE_MAP } from './lib/oidc-test-provider.mjs';

const port = Number(process.env.E2E_PORT || 3100);
const smtpPort = port + 1000;
// The one loopback receiver webhooks may reach in e2e (e2e/api-support.ts startReceiver); every
// other internal address stays refused, which e2e/security.spec.ts checks.
const webhookReceiverPort = port + 2;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tarmo-e2e-'));
const mailbox = path.join(dataDir, 'mailbox.jsonl');
// The web app's and the worker's log lines (JSON), for e2e/operations.spec.ts.
const serverLog = path.join(dataDir, 'server.log');
const workerMetricsPort = port + 2000;
// A real OpenID Connect provider for single sign-on (e2e/sso.spec.ts); port + 3 is security.spec's.
const oidcPort = port + 4;
const oidcClientSecret = crypto.randomBytes(24).toString('hex');
const metricsToken = `e2e-metrics-${crypto.randomBytes(8).toString('hex')}`;
const baseUrl = `http://127.0.0.1:${port}`;
const store = process.env.E2E_STORE || 'sqlite';
if (store !== 'sqlite' && store !== 'postgres')
  throw new Error(`E2E_STORE must be sqlite or postgres, not ${store}`);
const adminUrl = process.env.TEST_POSTGRES_URL;
if (store === 'postgres' && !adminUrl)
  throw new Error(
    'E2E_STORE=postgres needs TEST_POSTGRES_URL (e.g. postgres://postgres@127.0.0.1:5432/test)',
  );
const databaseName = store === 'postgres' ? `tarmo_e2e_${port}_${crypto.randomBytes(4).toString('hex')}` : '';

async function admin(sql) {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}

function databaseUrl() {
  if (store === 'sqlite') return `file:${path.join(dataDir, 'tarmo.db')}`;
  const url = new URL(adminUrl);
  url.pathname = `/${databaseName}`;
  return url.toString();
}

if (store === 'postgres') {
  // Leftovers of an earlier run on this port whose server was killed before it could drop them.
  const stale = await admin(`SELECT datname FROM pg_database WHERE datname LIKE 'tarmo\\_e2e\\_${port}\\_%'`);
  for (const { datname } of stale.rows) await admin(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  await admin(`CREATE DATABASE "${databaseName}"`);
}

const env = {
  ...process.env,
  NEXT_TELEMETRY_DISABLED: '1',
  PORT: String(port),
  APP_URL: baseUrl,
  NEXTAUTH_URL: baseUrl,
  DATABASE_URL: databaseUrl(),
  TARMO_DATA_DIR: dataDir,
  TARMO_DEMO_PASSWORD: process.env.TARMO_DEMO_PASSWORD || 'e2e-demo-password',
  SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
  // The suite reads demo customers' mail from its SMTP sink; a real deployment keeps it in the outbox.
  TARMO_DEMO_MAIL_VIA_SMTP: '1',
  TARMO_WORKER_POLL_MS: '200',
  TARMO_DEMO_ACTIVITY: '0',
  TARMO_WEBHOOK_ALLOW_HOSTS: `127.0.0.1:${webhookReceiverPort}`,
  // Streams re-check their session or key at every heartbeat; e2e/security.spec.ts waits for one.
  TARMO_SSE_HEARTBEAT_MS: '1000',
  TARMO_METRICS_TOKEN: metricsToken,
  TARMO_WORKER_METRICS_PORT: String(workerMetricsPort),
  TARMO_OIDC_ISSUER: `http://127.0.0.1:${oidcPort}`,
  TARMO_OIDC_CLIENT_ID: 'tarmo-e2e',
  TARMO_OIDC_CLIENT_SECRET: oidcClientSecret,
  TARMO_OIDC_NAME: 'Test SSO',
  TARMO_OIDC_SCOPE: 'openid email profile groups',
  TARMO_OIDC_ROLE_CLAIM: 'groups',
  TARMO_OIDC_ROLE_MAP: TEST_OIDC_ROLE_MAP,
  TARMO_OIDC_ALLOWED_DOMAINS: 'sso.example',
};
fs.writeFileSync(
  path.resolve(`.e2e-env-${port}.json`),
  JSON.stringify({
    dataDir,
    mailbox,
    baseUrl,
    databaseUrl: env.DATABASE_URL,
    store,
    password: env.TARMO_DEMO_PASSWORD,
    webhookReceiverPort,
    serverLog,
    metricsToken,
    workerMetricsPort,
    oidcIssuer: env.TARMO_OIDC_ISSUER,
  }),
);

const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  onData(stream, _session, callback) {
    simpleParser(stream)
      .then((mail) => {
        const headers = {};
        for (const [key, value] of mail.headers)
          headers[key] = typeof value === 'string' ? value : JSON.stringify(value);
        fs.appendFileSync(
          mailbox,
          JSON.stringify({
            to: mail.to?.text ?? '',
            from: mail.from?.text ?? '',
            subject: mail.subject ?? '',
            text: mail.text ?? '',
            html: typeof mail.html === 'string' ? mail.html : '',
            messageId: mail.messageId ?? '',
            headers,
          }) + '\n',
        );
        callback();
      })
      .catch(callback);
  },
});
smtp.listen(smtpPort, '127.0.0.1');
const oidc = await startTestOidcProvider({
  port: oidcPort,
  clientId: env.TARMO_OIDC_CLIENT_ID,
  clientSecret: oidcClientSecret,
  appUrl: baseUrl,
});

ensureBuild({ quiet: true });
const boot = spawnSync(
  process.execPath,
  ['node_modules/tsx/dist/cli.mjs', 'scripts/bootstrap.ts', '--quiet'],
  {
    env,
    stdio: 'inherit',
  },
);
if (boot.status !== 0) {
  await dropDatabase();
  process.exit(boot.status ?? 1);
}

const children = [
  spawn(
    process.execPath,
    ['node_modules/next/dist/bin/next', 'start', '-p', String(port), '-H', '127.0.0.1'],
    { env, stdio: ['inherit', 'pipe', 'inherit'] },
  ),
  spawn(process.execPath, ['--import', 'tsx', 'scripts/worker.ts'], {
    env,
    stdio: ['inherit', 'pipe', 'inherit'],
  }),
];
const logStream = fs.createWriteStream(serverLog, { flags: 'a', mode: 0o600 });
for (const child of children) child.stdout.pipe(logStream, { end: false });
async function dropDatabase() {
  if (!databaseName) return;
  try {
    // FORCE ends the web and worker processes' connections if they are still shutting down.
    await admin(`DROP DATABASE IF EXISTS "${databaseName}" WITH (FORCE)`);
  } catch (error) {
    console.error(`could not drop ${databaseName}:`, error.message);
  }
}
let stopping = false;
async function shutdown() {
  if (stopping) return;
  stopping = true;
  for (const child of children) child.kill('SIGTERM');
  smtp.close();
  void oidc.close();
  // Let the web process and the worker close their connections before the database goes away.
  await Promise.race([
    Promise.all(
      children.map((child) =>
        child.exitCode === null && child.signalCode === null
          ? new Promise((resolve) => child.once('exit', resolve))
          : undefined,
      ),
    ),
    new Promise((resolve) => setTimeout(resolve, 5_000)),
  ]);
  await dropDatabase();
  fs.rmSync(dataDir, { recursive: true, force: true });
  process.exit(0);
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
for (const child of children) child.on('exit', (code) => code && code !== 0 && shutdown());
