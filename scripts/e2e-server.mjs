// The worker runs as one process (node --import tsx), so a signal reaches the worker itself.
// Starts a throw-away Tarmo for Playwright: temp SQLite file, real migrations, demo seed with a
// known password, a real SMTP sink that writes each parsed mail to a JSON-lines mailbox, the
// production build under `next start`, and the executor worker.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';
import { ensureBuild } from './lib/build.mjs';

const port = Number(process.env.E2E_PORT || 3100);
const smtpPort = port + 1000;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tarmo-e2e-'));
const mailbox = path.join(dataDir, 'mailbox.jsonl');
const baseUrl = `http://127.0.0.1:${port}`;
const env = {
  ...process.env,
  NEXT_TELEMETRY_DISABLED: '1',
  PORT: String(port),
  APP_URL: baseUrl,
  NEXTAUTH_URL: baseUrl,
  DATABASE_URL: `file:${path.join(dataDir, 'tarmo.db')}`,
  TARMO_DATA_DIR: dataDir,
  TARMO_DEMO_PASSWORD: process.env.TARMO_DEMO_PASSWORD || 'e2e-demo-password',
  SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
  TARMO_WORKER_POLL_MS: '200',
  TARMO_DEMO_ACTIVITY: '0',
};
fs.writeFileSync(
  path.resolve(`.e2e-env-${port}.json`),
  JSON.stringify({
    dataDir,
    mailbox,
    baseUrl,
    databaseUrl: env.DATABASE_URL,
    password: env.TARMO_DEMO_PASSWORD,
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

ensureBuild({ quiet: true });
const boot = spawnSync(
  process.execPath,
  ['node_modules/tsx/dist/cli.mjs', 'scripts/bootstrap.ts', '--quiet'],
  {
    env,
    stdio: 'inherit',
  },
);
if (boot.status !== 0) process.exit(boot.status ?? 1);

const children = [
  spawn(
    process.execPath,
    ['node_modules/next/dist/bin/next', 'start', '-p', String(port), '-H', '127.0.0.1'],
    { env, stdio: 'inherit' },
  ),
  spawn(process.execPath, ['--import', 'tsx', 'scripts/worker.ts'], { env, stdio: 'inherit' }),
];
function shutdown() {
  for (const child of children) child.kill('SIGTERM');
  smtp.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
  process.exit(0);
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
for (const child of children) child.on('exit', (code) => code && code !== 0 && shutdown());
