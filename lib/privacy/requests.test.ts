import { describe, expect, it } from 'vitest';
import { useTempDatabase } from '@/tests/helpers/db';
import { writeTransaction } from '@/db/client';
import { seedPrivacyFixtures } from '@/tests/fixtures/privacy';
import {
  addMonths,
  completeRequest,
  createPrivacyRequest,
  extendRequest,
  rejectRequest,
  verifyPrivacyRequest,
} from './requests';
import { staffForget, privacyRequestQueue } from './staff';

const db = useTempDatabase();
const staff = { id: 7, email: 'c@tarmo.demo', name: 'C', role: 'compliance' as const };

describe('privacy requests', () => {
  it('verifies identity by a link mailed to the address on file, never to the address given', async () => {
    const { customers } = await seedPrivacyFixtures(4);
    const c = customers[0];
    const { request, verificationSent } = await writeTransaction(
      async (tx) => await createPrivacyRequest(tx, { email: c.email, kind: 'access', source: 'api' }),
    );
    expect(request.status).toBe('unverified');
    expect(verificationSent).toBe(true);
    expect(request.dueAt.getTime()).toBe(addMonths(request.receivedAt, 1).getTime());
    // Unknown address: same path, no mail, unmatched request.
    const unknown = await writeTransaction(
      async (tx) =>
        await createPrivacyRequest(tx, { email: 'nobody@example.org', kind: 'erasure', source: 'api' }),
    );
    expect(unknown).toMatchObject({
      verificationSent: false,
      request: { customerId: null, status: 'unverified' },
    });
    // Completing before verification is refused.
    expect(
      await writeTransaction(
        async (tx) => await completeRequest(tx, request.id, { actor: { type: 'user', id: 1 } }),
      ),
    ).toMatchObject({ ok: false });

    const mail = (await db.get(
      'SELECT to_address, body_text FROM outbox WHERE idempotency_key = ?',
      `verify-request:${request.id}`,
    )) as { to_address: string; body_text: string };
    expect(mail.to_address).toBe(c.email);
    const raw = /\/verify-request\/([A-Za-z0-9_-]{43})/.exec(mail.body_text)![1];
    expect(await writeTransaction(async (tx) => await verifyPrivacyRequest(tx, raw))).toMatchObject({
      ok: true,
    });
    expect(await writeTransaction(async (tx) => await verifyPrivacyRequest(tx, raw))).toMatchObject({
      ok: false,
      status: 410,
    });

    const extended = await writeTransaction(
      async (tx) =>
        await extendRequest(tx, request.id, {
          reason: 'Data spread over two systems',
          actor: { type: 'user', id: 1 },
        }),
    );
    expect(extended.ok && extended.value.request.dueAt.getTime()).toBe(addMonths(request.dueAt, 2).getTime());
    expect(
      await writeTransaction(
        async (tx) =>
          await extendRequest(tx, request.id, { reason: 'again please', actor: { type: 'user', id: 1 } }),
      ),
    ).toMatchObject({ ok: false });

    const done = await writeTransaction(
      async (tx) => await completeRequest(tx, request.id, { actor: { type: 'user', id: 1 } }),
    );
    expect(done).toMatchObject({ ok: true, value: { request: { status: 'completed' } } });
    expect(await db.get('SELECT count(*) AS n FROM exports WHERE request_id = ?', request.id)).toEqual({
      n: 1,
    });
    const trail = (await db.all(
      "SELECT action FROM audit_log WHERE target_type = 'privacy_request' AND target_id = ? ORDER BY id",
      String(request.id),
    )) as { action: string }[];
    expect(trail.map((t) => t.action)).toEqual([
      'privacy_request.received',
      'privacy_request.verified',
      'privacy_request.extended',
      'privacy_request.completed',
    ]);
    expect(
      await writeTransaction(
        async (tx) =>
          await rejectRequest(tx, request.id, { reason: 'too late now', actor: { type: 'user', id: 1 } }),
      ),
    ).toMatchObject({ ok: false });
  });

  it('staff forget closes an erasure request with the receipt; the queue puts overdue first', async () => {
    const c = (await db.get('SELECT id FROM customers ORDER BY id LIMIT 1 OFFSET 1')) as {
      id: number;
    };
    const result = await staffForget(staff, c.id);
    expect(result).toEqual({ ok: true, value: 'Customer erased.' });
    const request = (await db.get(
      "SELECT status, receipt FROM privacy_requests WHERE customer_id = ? AND kind = 'erasure'",
      c.id,
    )) as { status: string; receipt: string };
    expect(request.status).toBe('completed');
    expect(JSON.parse(request.receipt)).toMatchObject({ outcome: 'erased', customerId: c.id });
    expect(await staffForget(staff, c.id)).toMatchObject({ ok: false });

    const old = new Date(Date.now() - 45 * 86_400_000);
    const other = (await db.get('SELECT id FROM customers ORDER BY id LIMIT 1 OFFSET 2')) as {
      id: number;
    };
    await writeTransaction(
      async (tx) =>
        await createPrivacyRequest(tx, {
          customerId: other.id,
          kind: 'objection',
          source: 'staff',
          verified: true,
          now: old,
        }),
    );
    const queue = await privacyRequestQueue('open');
    expect(queue[0]).toMatchObject({ overdue: true, request: { kind: 'objection' } });
  });
});
