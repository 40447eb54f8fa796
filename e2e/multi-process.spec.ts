import { spawn } from 'node:child_process';
import { expect, test } from '@playwright/test';
import { createKey } from './api-support';
import { e2eEnv, isPostgresStore } from './helpers';

type Reader = ReadableStreamDefaultReader<Uint8Array>;

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
async function readUntil(
  reader: Reader,
  matches: (text: string) => boolean,
  timeoutMs: number,
): Promise<string> {
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

function hasGrantFor(purposeKey: string) {
  return (text: string) =>
    text
      .split('\n')
      .filter((line) => line.startsWith('data: {'))
      .some((line) => {
        const data = JSON.parse(line.slice(6)) as { events?: { purposeKey: string; action: string }[] } & {
          purposeKey?: string;
          action?: string;
        };
        const events = data.events ?? [data];
        return events.some((event) => event.purposeKey === purposeKey && event.action === 'grant');
      });
}

/**
 * N web processes on one database (the e2e server's: the SQLite file, or the scratch PostgreSQL
 * database in the E2E_STORE=postgres pass). On SQLite the second process sees the event through
 * its poll of the newest ledger id. On PostgreSQL it polls only once a minute here, so the event
 * can arrive in time only through LISTEN/NOTIFY (`tarmo_consent_events`, delivered at COMMIT).
 */
test('two web processes on one database: a consent written through one appears on the other’s stream', async ({
  request,
}) => {
  const env = e2eEnv();
  const port = Number(process.env.E2E_PORT || 3100) + 7;
  const second = `http://127.0.0.1:${port}`;
  const child = spawn(
    process.execPath,
    ['node_modules/next/dist/bin/next', 'start', '-p', String(port), '-H', '127.0.0.1'],
    {
      env: {
        ...process.env,
        NEXT_TELEMETRY_DISABLED: '1',
        DATABASE_URL: env.databaseUrl,
        TARMO_DATA_DIR: env.dataDir,
        APP_URL: second,
        NEXTAUTH_URL: second,
        ...(isPostgresStore() ? { TARMO_STREAM_POLL_MS: '60000' } : {}),
      },
      stdio: 'ignore',
    },
  );
  const controller = new AbortController();
  try {
    await waitForHealth(second);
    const key = createKey('two web processes', 'read,write');
    const auth = { authorization: `Bearer ${key}` };

    const stream = await fetch(`${second}/api/v1/consent/stream`, {
      headers: auth,
      signal: controller.signal,
    });
    expect(stream.status).toBe(200);
    const reader = stream.body!.getReader();
    await readUntil(reader, (text) => text.includes('event: summary'), 10_000);

    // Written through the first web process (Playwright's baseURL)…
    const created = await request.post('/api/v1/customers', {
      headers: auth,
      data: { email: `two-processes-${Date.now()}@example.com`, name: 'Two Processes' },
    });
    expect(created.ok()).toBe(true);
    const { customer } = (await created.json()) as { customer: { id: number } };
    const started = Date.now();
    const granted = await request.post(`/api/v1/customers/${customer.id}/consents`, {
      headers: auth,
      data: { purpose: 'personalised-offers', action: 'grant', evidence: { form: 'e2e two processes' } },
    });
    expect(granted.status()).toBe(201);

    // …and seen on the second one's stream.
    await readUntil(reader, hasGrantFor('personalised-offers'), 5_000);
    console.info(`grant seen on the second web process's stream after ${Date.now() - started} ms`);
  } finally {
    controller.abort();
    child.kill('SIGTERM');
  }
});
