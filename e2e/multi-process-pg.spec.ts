import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { Client } from 'pg';
import { expect, test } from '@playwright/test';

/**
 * N web processes on one PostgreSQL database: two `next start` processes on a scratch database
 * (migrated and seeded by scripts/bootstrap.ts, as `npm start` does). A consent written through
 * one appears on the other's Mission Control stream. The web processes poll the ledger only once
 * a minute here (TARMO_STREAM_POLL_MS), so the event can only arrive in time through the
 * LISTEN/NOTIFY path (`tarmo_consent_events`, delivered at COMMIT).
 *
 * Runs only in the PostgreSQL e2e pass (E2E_STORE=postgres with TEST_POSTGRES_URL, e.g.
 * postgres://postgres@127.0.0.1:5432/test); the Playwright web server is not used by this spec.
 */

const TEST_POSTGRES_URL = process.env.TEST_POSTGRES_URL;
const TSX = path.resolve('node_modules/tsx/dist/cli.mjs');
type Reader = ReadableStreamDefaultReader<Uint8Array>;

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function admin(sql: string): Promise<void> {
  const client = new Client({ connectionString: TEST_POSTGRES_URL, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

function runScript(env: NodeJS.ProcessEnv, args: string[]): string {
  const result = spawnSync(process.execPath, [TSX, ...args], { env, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${args[0]} failed: ${result.stderr}`);
  return result.stdout.trim();
}

async function waitForHealth(baseUrl: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${baseUrl}/api/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${baseUrl} did not start`);
}

/** Reads server-sent events until one matches, or fails after timeoutMs. */
async function readUntil(reader: Reader, matches: (text: string) => boolean, timeoutMs: number) {
  const decoder = new TextDecoder();
  let text = '';
  const deadline = Date.now() + timeoutMs;
  while (!matches(text)) {
    const left = deadline - Date.now();
    if (left <= 0) throw new Error(`no matching event within ${timeoutMs} ms; got: ${text.slice(-500)}`);
    const chunk = await Promise.race([
      reader.read(),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('stream stalled')), left)),
    ]);
    if (chunk.done) throw new Error('stream closed');
    text += decoder.decode(chunk.value, { stream: true });
  }
  return text;
}

function hasEvent(purposeKey: string, action: string) {
  return (text: string) =>
    text
      .split('\n')
      .filter((line) => line.startsWith('data: {'))
      .some((line) => {
        const data = JSON.parse(line.slice(6)) as { events?: { purposeKey: string; action: string }[] };
        return (data.events ?? []).some(
          (event) => event.purposeKey === purposeKey && event.action === action,
        );
      });
}

async function openStream(baseUrl: string, key: string, signal: AbortSignal): Promise<Reader> {
  const stream = await fetch(`${baseUrl}/api/v1/consent/stream`, {
    headers: { authorization: `Bearer ${key}` },
    signal,
  });
  expect(stream.status).toBe(200);
  const reader = stream.body!.getReader();
  await readUntil(reader, (text) => text.includes('event: summary'), 10_000);
  return reader;
}

test.describe('N web processes on one PostgreSQL database', () => {
  test.skip(
    !TEST_POSTGRES_URL,
    'TEST_POSTGRES_URL is not set (e.g. postgres://postgres@127.0.0.1:5432/test): PostgreSQL multi-process spec skipped',
  );
  test.skip(
    process.env.E2E_STORE !== 'postgres',
    'PostgreSQL multi-process spec: runs in the PostgreSQL e2e pass (E2E_STORE=postgres), not in the SQLite one',
  );
  test.setTimeout(180_000);

  let databaseName = '';
  let dataDir = '';
  const children: ChildProcess[] = [];

  test.afterAll(async () => {
    for (const child of children) child.kill('SIGTERM');
    await Promise.all(
      children.map((child) =>
        child.exitCode === null && child.signalCode === null
          ? new Promise((resolve) => child.once('exit', resolve))
          : undefined,
      ),
    );
    if (databaseName) await admin(`DROP DATABASE IF EXISTS "${databaseName}" WITH (FORCE)`);
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('a consent written through one web process appears on the other’s stream (LISTEN/NOTIFY)', async () => {
    databaseName = `tarmo_e2e_${crypto.randomBytes(6).toString('hex')}`;
    await admin(`CREATE DATABASE "${databaseName}"`);
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tarmo-e2e-pg-'));
    const basePort = Number(process.env.E2E_PORT || 3100) + 8;
    const urls = [`http://127.0.0.1:${basePort}`, `http://127.0.0.1:${basePort + 1}`];
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NEXT_TELEMETRY_DISABLED: '1',
      DATABASE_URL: withDatabase(TEST_POSTGRES_URL!, databaseName),
      // Shared secrets (auth, ledger key) for every process, as on shared storage.
      TARMO_DATA_DIR: dataDir,
      TARMO_DEMO_PASSWORD: 'e2e-demo-password',
      TARMO_DEMO_ACTIVITY: '0',
      // Only NOTIFY can deliver within the test's few seconds.
      TARMO_STREAM_POLL_MS: '60000',
    };
    runScript(env, ['scripts/bootstrap.ts', '--quiet']);
    const key = runScript(env, [
      'scripts/apikey-create.ts',
      '--name',
      'two web processes on PostgreSQL',
      '--scopes',
      'read,write',
      '--quiet',
    ]);
    for (const [index, url] of urls.entries()) {
      const port = String(basePort + index);
      children.push(
        spawn(process.execPath, ['node_modules/next/dist/bin/next', 'start', '-p', port, '-H', '127.0.0.1'], {
          env: { ...env, PORT: port, APP_URL: url, NEXTAUTH_URL: url },
          stdio: ['ignore', 'ignore', 'inherit'],
        }),
      );
    }
    await Promise.all(urls.map((url) => waitForHealth(url)));

    const controller = new AbortController();
    try {
      const readers = await Promise.all(urls.map((url) => openStream(url, key, controller.signal)));
      const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
      // Each direction: written through one process, seen on the other one's stream.
      for (const [writer, listener, purpose, action] of [
        [0, 1, 'personalised-offers', 'grant'],
        [1, 0, 'personalised-offers', 'withdraw'],
      ] as const) {
        const created = await fetch(`${urls[0]}/api/v1/customers`, {
          method: 'POST',
          headers,
          body: JSON.stringify({
            email: `pg-two-processes-${writer}-${Date.now()}@example.com`,
            name: 'Two',
          }),
        });
        expect(created.ok).toBe(true);
        const { customer } = (await created.json()) as { customer: { id: number } };
        if (action === 'withdraw') {
          const grant = await fetch(`${urls[writer]}/api/v1/customers/${customer.id}/consents`, {
            method: 'POST',
            headers,
            body: JSON.stringify({ purpose, action: 'grant', evidence: { form: 'e2e pg' } }),
          });
          expect(grant.status).toBe(201);
        }
        const started = Date.now();
        const written = await fetch(`${urls[writer]}/api/v1/customers/${customer.id}/consents`, {
          method: 'POST',
          headers,
          body: JSON.stringify({ purpose, action, evidence: { form: 'e2e pg two processes' } }),
        });
        expect(written.status).toBe(201);
        await readUntil(readers[listener]!, hasEvent(purpose, action), 5_000);
        console.info(
          `${action} via web ${writer} seen on web ${listener}'s stream after ${Date.now() - started} ms`,
        );
      }
    } finally {
      controller.abort();
    }
  });
});
