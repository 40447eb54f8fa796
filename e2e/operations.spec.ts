import fs from 'node:fs';
import { expect, test } from '@playwright/test';
import { e2eEnv, loginAs } from './helpers';
import { createKey } from './api-support';

/** Operations: request ids, JSON logs without personal data, /metrics, readiness. */

type LogLine = Record<string, unknown>;

function logLines(): LogLine[] {
  return fs
    .readFileSync(e2eEnv().serverLog, 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogLine);
}

async function logLineWhere(match: (line: LogLine) => boolean): Promise<LogLine> {
  let found: LogLine | undefined;
  await expect.poll(() => (found = logLines().find(match)), { timeout: 10_000 }).toBeDefined();
  return found!;
}

test('request ids, logs without personal data, metrics and readiness', async ({ page, request }) => {
  const env = e2eEnv();
  const key = createKey('e2e operations', 'read,write');
  const suffix = `${Date.now()}${Math.random().toString(36).slice(2, 6)}`;
  const address = `ops-${suffix}@example.org`;
  const name = `Ilmatar Lokinen ${suffix}`;
  const street = `Lokikatu ${suffix}`;

  const created = await request.post('/api/v1/customers', {
    headers: { Authorization: `Bearer ${key}`, 'X-Request-Id': `e2e-ops-${suffix}` },
    data: { email: address, name, attributes: { street } },
  });
  expect(created.status(), await created.text()).toBeLessThan(300);
  expect(created.headers()['x-request-id']).toBe(`e2e-ops-${suffix}`);
  const customerId = ((await created.json()) as { customer: { id: number } }).customer.id;
  // A bad request that quotes the address back in its error must not log it either.
  await request.post('/api/v1/customers', {
    headers: { Authorization: `Bearer ${key}` },
    data: { email: address, name: 42 },
  });

  const line = await logLineWhere(
    (entry) => entry.requestId === `e2e-ops-${suffix}` && entry.msg === 'request',
  );
  expect(line).toMatchObject({ level: 'info', role: 'web', route: '/api/v1/customers', method: 'POST' });
  expect(typeof line.apiKeyId).toBe('number');
  expect(typeof line.time).toBe('string');

  // Without an X-Request-Id the server makes one.
  const health = await request.get('/api/health');
  expect(health.headers()['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);

  // A staff page: its line names the staff user by id.
  await loginAs(page, 'admin', '/settings');
  const staffLine = await logLineWhere(
    (entry) => entry.route === '/settings' && typeof entry.userId === 'number',
  );
  expect(staffLine.role).toBe('web');
  await page.goto(`/customers/${customerId}`);
  await logLineWhere((entry) => entry.route === '/customers/[id]' && entry.msg === 'request');

  // Metrics: refused without the token, counted with it.
  expect((await request.get('/metrics')).status()).toBe(401);
  const metrics = await request.get('/metrics', { headers: { Authorization: `Bearer ${env.metricsToken}` } });
  expect(metrics.status()).toBe(200);
  const text = await metrics.text();
  expect(text).toMatch(
    /tarmo_http_requests_total\{method="POST",route="\/api\/v1\/customers",status="20\d"\} \d+/,
  );
  expect(text).toContain(
    'tarmo_http_request_duration_seconds_bucket{le="0.005",method="POST",route="/api/v1/customers"}',
  );
  expect(text).toContain('tarmo_ledger_events_total');
  const worker = await request.get(`http://127.0.0.1:${env.workerMetricsPort}/metrics`, {
    headers: { Authorization: `Bearer ${env.metricsToken}` },
  });
  expect(worker.status()).toBe(200);
  expect(await worker.text()).toContain('tarmo_outbox_depth{kind="email"}');

  const ready = await request.get('/api/health/ready');
  expect(ready.status(), await ready.text()).toBe(200);

  // Nothing personal in any log line of the web app or the worker.
  const logText = fs.readFileSync(env.serverLog, 'utf8');
  for (const secret of [address, name, street, key]) expect(logText).not.toContain(secret);
});
