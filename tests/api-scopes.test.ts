import { beforeAll, describe, expect, it } from 'vitest';
import { POST as upsertRoute } from '@/app/api/v1/customers/route';
import { PATCH as patchRoute } from '@/app/api/v1/customers/[id]/route';
import { POST as consentRoute } from '@/app/api/v1/customers/[id]/consents/route';
import { insertPurposes } from '@/db/store/workspace';
import { createApiKey } from '@/lib/auth/api-keys';
import { DEMO_PURPOSES } from '@/lib/demo/purposes';
import { useTempDatabase } from '@/tests/helpers/db';

const db = useTempDatabase();
let writeOnly = '';
let readWrite = '';

beforeAll(async () => {
  await insertPurposes(DEMO_PURPOSES);
  writeOnly = (await createApiKey({ name: 'crm-sync', scopes: ['write'] }, { type: 'system' })).key;
  readWrite = (await createApiKey({ name: 'crm-full', scopes: ['read', 'write'] }, { type: 'system' })).key;
});

function request(key: string, method: string, url: string, body: unknown, idempotencyKey?: string): Request {
  return new Request(`http://tarmo.test${url}`, {
    method,
    body: JSON.stringify(body),
    headers: {
      authorization: `Bearer ${key}`,
      'content-type': 'application/json',
      ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
    },
  });
}
const params = (id: number) => ({ params: Promise.resolve({ id: String(id) }) });
const PROFILE = { email: 'scoped@example.test', name: 'Scoped Person', attributes: { tier: 'gold' } };

describe('scopes limit what an answer reveals', () => {
  it('a key without read gets ids and status from every write, never profile data, also on replay', async () => {
    const created = await upsertRoute(request(writeOnly, 'POST', '/api/v1/customers', PROFILE, 'first'), {});
    expect(created.status).toBe(201);
    const body = (await created.json()) as { customer: { id: number } };
    expect(body).toEqual({
      customer: { id: body.customer.id, status: 'active' },
      created: true,
      mergedCustomerIds: [],
    });
    const id = body.customer.id;

    // Upserting a known address must not read the stored profile back either.
    const again = await upsertRoute(
      request(writeOnly, 'POST', '/api/v1/customers', { email: PROFILE.email }),
      {},
    );
    const againText = await again.text();
    expect(againText).not.toMatch(/Scoped Person|gold|scoped@example/);

    const patched = await patchRoute(
      request(writeOnly, 'PATCH', `/api/v1/customers/${id}`, { name: 'Renamed' }),
      params(id),
    );
    expect(await patched.json()).toEqual({ id, status: 'active' });

    const consent = await consentRoute(
      request(writeOnly, 'POST', `/api/v1/customers/${id}/consents`, {
        purpose: 'newsletter',
        action: 'grant',
        evidence: { form: 'crm' },
      }),
      params(id),
    );
    expect(consent.status).toBe(201);
    expect(await consent.json()).toEqual({ customerId: id, status: 'recorded' });

    const replay = await upsertRoute(request(writeOnly, 'POST', '/api/v1/customers', PROFILE, 'first'), {});
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(await replay.text()).not.toMatch(/Scoped|gold|scoped@example/);
    // The cached answer is tagged with the customer, so erasure finds it.
    expect(await db.get("SELECT customer_id FROM idempotency_keys WHERE key = 'first'")).toEqual({
      customer_id: id,
    });

    // A key with read gets the profile.
    const full = await patchRoute(
      request(readWrite, 'PATCH', `/api/v1/customers/${id}`, { timeZone: 'Europe/Helsinki' }),
      params(id),
    );
    expect(await full.json()).toMatchObject({
      id,
      email: PROFILE.email,
      name: 'Renamed',
      timeZone: 'Europe/Helsinki',
    });
  });

  it('a no-op update changes nothing: no write, no updatedAt bump, no audit entry', async () => {
    const created = await upsertRoute(
      request(readWrite, 'POST', '/api/v1/customers', {
        email: 'same@example.test',
        name: 'Same',
        attributes: { a: 1 },
      }),
      {},
    );
    const { customer } = (await created.json()) as { customer: { id: number; updatedAt: string | null } };
    const before = await db.get<{ updated_at: number | null }>(
      'SELECT updated_at FROM customers WHERE id = ?',
      customer.id,
    );
    const audits = async () =>
      (await db.get<{ n: number }>(
        "SELECT count(*) AS n FROM audit_log WHERE target_id = ? AND action = 'customer.updated'",
        String(customer.id),
      ))!.n;
    const auditsBefore = Number(await audits());

    await new Promise((resolve) => setTimeout(resolve, 5));
    const same = await upsertRoute(
      request(readWrite, 'POST', '/api/v1/customers', {
        email: 'Same@example.test',
        name: 'Same',
        attributes: { a: 1 },
      }),
      {},
    );
    expect(same.status).toBe(200);
    const samePatch = await patchRoute(
      request(readWrite, 'PATCH', `/api/v1/customers/${customer.id}`, { name: 'Same', attributes: { a: 1 } }),
      params(customer.id),
    );
    expect(samePatch.status).toBe(200);
    expect(await db.get('SELECT updated_at FROM customers WHERE id = ?', customer.id)).toEqual(before);
    expect(Number(await audits())).toBe(auditsBefore);

    // A real change still updates.
    await patchRoute(
      request(readWrite, 'PATCH', `/api/v1/customers/${customer.id}`, { name: 'Changed' }),
      params(customer.id),
    );
    const after = await db.get<{ updated_at: number | null }>(
      'SELECT updated_at FROM customers WHERE id = ?',
      customer.id,
    );
    expect(Number(after!.updated_at)).toBeGreaterThan(Number(before!.updated_at ?? 0));
  });
});
