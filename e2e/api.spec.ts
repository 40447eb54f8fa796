import { expect, test, type APIRequestContext } from '@playwright/test';
import { dbOne, loginAs } from './helpers';
import { createKey, runWithAppEnv, startReceiver } from './api-support';
import { verifyWebhookSignature } from '../lib/webhooks/verify';

const bearer = (key: string) => ({ Authorization: `Bearer ${key}` });
const unique = () => `${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;

async function countCustomers(where: string, ...params: unknown[]): Promise<number> {
  return (await dbOne<{ n: number }>(`SELECT count(*) AS n FROM customers WHERE ${where}`, ...params)).n;
}

async function upsert(request: APIRequestContext, key: string, data: Record<string, unknown>) {
  const response = await request.post('/api/v1/customers', { headers: bearer(key), data });
  expect(response.status(), await response.text()).toBeLessThan(300);
  return (await response.json()) as {
    customer: { id: number };
    created: boolean;
    mergedCustomerIds: number[];
  };
}

test.describe('REST API', () => {
  let writeKey = '';
  let readKey = '';
  test.beforeAll(() => {
    writeKey = createKey('e2e writer', 'read,write,privacy');
    readKey = createKey('e2e reader', 'read');
  });

  test('keys: missing → 401, a read key cannot write (403), a key revoked in Settings gets 401', async ({
    request,
    page,
  }) => {
    expect((await request.get('/api/v1/purposes')).status()).toBe(401);
    const purposes = await request.get('/api/v1/purposes', { headers: bearer(readKey) });
    expect(purposes.status()).toBe(200);
    const body = (await purposes.json()) as {
      data: { key: string; legalBasis: string; themes: unknown[]; currentNoticeVersion: number | null }[];
    };
    expect(body.data.find((p) => p.key === 'newsletter')).toMatchObject({
      legalBasis: 'consent',
      currentNoticeVersion: 1,
    });

    const denied = await request.post('/api/v1/customers', {
      headers: bearer(readKey),
      data: { email: `ro-${unique()}@example.com` },
    });
    expect(denied.status()).toBe(403);
    expect((await denied.json()).error.code).toBe('insufficient_scope');

    // An admin creates a key in Settings (shown once), uses it, then revokes it.
    await loginAs(page, 'admin', '/settings/api-keys');
    await page.getByLabel('Name').fill('UI key');
    await page.getByRole('checkbox', { name: /^read/ }).check();
    await page.getByRole('button', { name: 'Create key' }).click();
    const uiKey = await page.getByTestId('new-api-key').inputValue();
    expect(uiKey).toMatch(/^tarmo_/);
    expect((await request.get('/api/v1/journeys', { headers: bearer(uiKey) })).status()).toBe(200);
    await page.reload();
    await expect(page.getByText(uiKey)).toHaveCount(0);
    await page.getByRole('button', { name: 'Revoke UI key' }).click();
    await expect(page.getByRole('row', { name: /UI key/ }).getByText('revoked')).toBeVisible();
    const revoked = await request.get('/api/v1/journeys', { headers: bearer(uiKey) });
    expect(revoked.status()).toBe(401);
    expect((await revoked.json()).error.code).toBe('revoked_key');
  });

  test('an idempotent retry creates one customer and replays the first answer', async ({ request }) => {
    const email = `idem-${unique()}@example.com`;
    const headers = { ...bearer(writeKey), 'Idempotency-Key': `retry-${unique()}` };
    const first = await request.post('/api/v1/customers', { headers, data: { email, name: 'Idem' } });
    const second = await request.post('/api/v1/customers', { headers, data: { email, name: 'Idem' } });
    expect(first.status()).toBe(201);
    expect(second.status()).toBe(201);
    expect(second.headers()['idempotent-replayed']).toBe('true');
    expect(await second.json()).toEqual(await first.json());
    expect(await countCustomers('email = ?', email)).toBe(1);
    const reused = await request.post('/api/v1/customers', { headers, data: { email, name: 'Other' } });
    expect(reused.status()).toBe(422);
  });

  test('malformed JSON and wrong types get 400 naming the field and change nothing', async ({ request }) => {
    const before = await countCustomers('1 = 1');
    const malformed = await request.post('/api/v1/customers', {
      headers: { ...bearer(writeKey), 'content-type': 'application/json' },
      data: Buffer.from('{"email": "x@example.com",'),
    });
    expect(malformed.status()).toBe(400);
    expect((await malformed.json()).error.code).toBe('malformed_json');
    const wrongType = await request.post('/api/v1/customers', {
      headers: bearer(writeKey),
      data: { email: 'ok@example.com', name: 42 },
    });
    expect(wrongType.status()).toBe(400);
    expect((await wrongType.json()).error).toMatchObject({ code: 'invalid_field', field: 'name' });
    const badEvent = await request.post('/api/v1/events', {
      headers: bearer(writeKey),
      data: [
        { email: 'ok@example.com', name: 'a' },
        { email: 'ok@example.com', name: 'b', occurredAt: 'yesterday' },
      ],
    });
    expect(badEvent.status()).toBe(400);
    expect((await badEvent.json()).error.field).toBe('1.occurredAt');
    expect(await countCustomers('1 = 1')).toBe(before);
  });

  test('events: a batch is stored at once; more than 1,000 get 413 and store nothing', async ({
    request,
  }) => {
    const { customer } = await upsert(request, writeKey, { email: `ev-${unique()}@example.com` });
    const events = (n: number) =>
      Array.from({ length: n }, (_, i) => ({
        customerId: customer.id,
        name: 'page.viewed',
        properties: { i },
      }));
    const tooMany = await request.post('/api/v1/events', { headers: bearer(writeKey), data: events(1001) });
    expect(tooMany.status()).toBe(413);
    const ok = await request.post('/api/v1/events', { headers: bearer(writeKey), data: events(3) });
    expect(ok.status()).toBe(202);
    expect((await ok.json()).accepted).toBe(3);
    const stored = (
      await dbOne<{ n: number }>('SELECT count(*) AS n FROM events WHERE customer_id = ?', customer.id)
    ).n;
    expect(stored).toBe(3);
  });

  test('merge: both ledgers kept, a withdrawal beats a grant, recorded in the audit log', async ({
    request,
  }) => {
    const externalId = `crm-${unique()}`;
    const email = `merge-${unique()}@example.com`;
    const a = await upsert(request, writeKey, { externalId, name: 'Profile A' });
    const b = await upsert(request, writeKey, { email });
    const consent = (id: number, action: string) =>
      request.post(`/api/v1/customers/${id}/consents`, {
        headers: bearer(writeKey),
        data: { purpose: 'newsletter', action, evidence: { form: 'e2e' } },
      });
    expect((await consent(a.customer.id, 'grant')).status()).toBe(201);
    expect((await consent(b.customer.id, 'grant')).status()).toBe(201);
    expect((await consent(b.customer.id, 'withdraw')).status()).toBe(201);

    const merged = await upsert(request, writeKey, { externalId, email });
    expect(merged.customer.id).toBe(a.customer.id);
    expect(merged.mergedCustomerIds).toEqual([b.customer.id]);

    const consents = await (
      await request.get(`/api/v1/customers/${a.customer.id}/consents`, { headers: bearer(readKey) })
    ).json();
    expect(
      consents.states.find(
        (s: { purpose: string; theme: string | null }) => s.purpose === 'newsletter' && !s.theme,
      ).state,
    ).toBe('withdrawn');
    const sources = consents.history.map(
      (h: { customerId: number; source: string }) => `${h.customerId}:${h.source}`,
    );
    expect(sources).toContain(`${b.customer.id}:api`);
    expect(sources).toContain(`${a.customer.id}:merge`);
    const audit = await dbOne<{ details: string }>(
      "SELECT details FROM audit_log WHERE action = 'customer.merged' AND target_id = ?",
      String(a.customer.id),
    );
    expect(JSON.parse(audit.details)).toMatchObject({ mergedId: b.customer.id, consentChanges: 1 });
    const old = await (
      await request.get(`/api/v1/customers/${b.customer.id}`, { headers: bearer(readKey) })
    ).json();
    expect(old.mergedIntoId).toBe(a.customer.id);
  });

  test('an erased address is refused with 409 erased_address', async ({ request }) => {
    const email = `erase-${unique()}@example.com`;
    const { customer } = await upsert(request, writeKey, { email });
    // Erasure as the privacy module performs it (writes the tombstone), run against the e2e database.
    runWithAppEnv([
      '-e',
      `import('@/lib/privacy/forget').then((m) => (m.eraseCustomer ?? m.default.eraseCustomer)(${customer.id})).then((r) => { if (!r.ok) process.exit(1); })`,
    ]);
    const refused = await request.post('/api/v1/customers', { headers: bearer(writeKey), data: { email } });
    expect(refused.status()).toBe(409);
    expect((await refused.json()).error).toMatchObject({ code: 'erased_address', field: 'email' });
    expect(await countCustomers('email = ?', email)).toBe(0);
  });

  test('openapi.json is generated from the schemas and lists every route', async ({ request }) => {
    const doc = await (await request.get('/api/openapi.json')).json();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/v1/customers', '/api/v1/events', '/api/v1/privacy-requests']),
    );
    expect(doc.components.schemas.CustomerUpsert.properties.email.format).toBe('email');
  });

  test('webhook: signed delivery that verifies, a failed delivery is retried, log shows it', async ({
    request,
    page,
  }) => {
    test.setTimeout(120_000);
    const receiver = await startReceiver([500, 204]);
    try {
      await loginAs(page, 'admin', '/settings/webhooks');
      await page.getByLabel('Name').fill('E2E CRM');
      await page.getByLabel('Endpoint URL').fill(receiver.url);
      await page.getByRole('checkbox', { name: /^consent\.changed/ }).check();
      await page.getByRole('button', { name: 'Add subscription' }).click();
      const secret = await page.getByTestId('new-webhook-secret').inputValue();
      expect(secret).toMatch(/^whsec_/);

      const { customer } = await upsert(request, writeKey, { email: `hook-${unique()}@example.com` });
      const granted = await request.post(`/api/v1/customers/${customer.id}/consents`, {
        headers: bearer(writeKey),
        data: { purpose: 'newsletter', action: 'grant', evidence: { form: 'hook test' } },
      });
      expect(granted.status()).toBe(201);

      await expect.poll(() => receiver.received.length, { timeout: 15_000 }).toBeGreaterThanOrEqual(1);
      // The first answer was 500: the dispatcher retries with backoff (30 s base).
      await expect
        .poll(() => receiver.received.length, { timeout: 90_000, intervals: [1000] })
        .toBeGreaterThanOrEqual(2);
      const [first, second] = receiver.received;
      for (const delivery of [first!, second!]) {
        expect(
          verifyWebhookSignature(secret, delivery.headers['x-tarmo-signature'] as string, delivery.body).ok,
        ).toBe(true);
        expect(
          verifyWebhookSignature(
            'whsec_wrong',
            delivery.headers['x-tarmo-signature'] as string,
            delivery.body,
          ).ok,
        ).toBe(false);
      }
      const event = JSON.parse(second!.body);
      expect(event).toMatchObject({
        type: 'consent.changed',
        data: { customerId: customer.id, purpose: 'newsletter', state: 'granted' },
      });
      expect(JSON.parse(first!.body).id).toBe(event.id);

      await page.reload();
      const row = page.getByRole('row', { name: new RegExp(event.id) });
      await expect(row.getByText('sent', { exact: true })).toBeVisible();
      await expect(row.getByRole('cell', { name: '2', exact: true })).toBeVisible();
      await row.getByRole('button', { name: /Replay/ }).click();
      await expect.poll(() => receiver.received.length, { timeout: 15_000 }).toBeGreaterThanOrEqual(3);
      expect(JSON.parse(receiver.received[2]!.body).id).toBe(event.id);

      // The docs page shows receivers how to check the signature.
      await page.goto('/settings/api');
      await expect(page.getByRole('heading', { name: 'Webhooks' })).toBeVisible();
      await expect(page.getByText("req.headers['x-tarmo-signature']")).toBeVisible();
    } finally {
      await receiver.close();
    }
  });
});
