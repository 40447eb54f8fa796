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
import { staffForget, privacyRequestDetail, privacyRequestQueue, staffRequestAction } from './staff';
import { upsertUser } from '@/db/store/users';
import { insertCustomers } from '@/db/store/workspace';

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
      error: { code: 'gone' },
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

  it('an extension is decided within the first month, mailed to the person in their language, and names the staff member', async () => {
    const [german] = await insertCustomers([
      {
        externalId: 'ext-de-1',
        email: 'greta@kunde.test',
        name: 'Greta',
        locale: 'de',
        timeZone: 'Europe/Berlin',
        attributes: {},
      },
    ]);
    const { user } = await upsertUser({
      email: 'kalle@tarmo.test',
      name: 'Kalle Compliance',
      role: 'compliance',
      passwordHash: 'x',
    });
    const officer = { id: user.id, email: user.email, name: user.name, role: 'compliance' as const };
    const received = new Date(Date.now() - 10 * 24 * 3600_000);
    const open = async (customerId: number | null, receivedAt: Date) =>
      (
        await writeTransaction(
          async (tx) =>
            await createPrivacyRequest(tx, {
              customerId,
              email: customerId ? undefined : 'unknown@example.org',
              kind: 'access',
              source: 'staff',
              verified: true,
              now: receivedAt,
            }),
        )
      ).request;

    // Past the first month: refused, and nothing changes or is mailed.
    const overdue = await open(german.id, new Date(Date.now() - 40 * 24 * 3600_000));
    const late = await staffRequestAction(officer, overdue.id, 'extend', { reason: 'Two systems to search' });
    expect(late).toMatchObject({ ok: false, error: { message: expect.stringContaining('first month') } });
    expect(
      await db.get('SELECT extension_reason AS r FROM privacy_requests WHERE id = ?', overdue.id),
    ).toEqual({ r: null });
    expect(
      await db.get(
        'SELECT count(*) AS n FROM outbox WHERE idempotency_key = ?',
        `request-extended:${overdue.id}`,
      ),
    ).toEqual({ n: 0 });

    // Nobody to tell: refused.
    const unmatched = await open(null, received);
    expect(
      await staffRequestAction(officer, unmatched.id, 'extend', { reason: 'Two systems to search' }),
    ).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('cannot be told') },
    });

    // Within the month: granted, two more months, the person gets a German mail with the reason.
    const timely = await open(german.id, received);
    const granted = await staffRequestAction(officer, timely.id, 'extend', {
      reason: 'Daten liegen in zwei Systemen',
    });
    expect(granted.ok && granted.value.request.dueAt.getTime()).toBe(addMonths(timely.dueAt, 2).getTime());
    const mail = (await db.get(
      'SELECT to_address AS "to", subject, body_text AS text FROM outbox WHERE idempotency_key = ?',
      `request-extended:${timely.id}`,
    )) as { to: string; subject: string; text: string };
    expect(mail.to).toBe(german.email);
    expect(mail.subject).toBe('Ihre Datenschutzanfrage: Wir brauchen mehr Zeit');
    expect(mail.text).toContain('Grund: Daten liegen in zwei Systemen');
    expect(mail.text).toContain('Ihre Daten einzusehen');
    expect(mail.text).toContain(
      addMonths(timely.dueAt, 2).toLocaleDateString('de-DE', {
        year: 'numeric',
        month: 'long',
        day: 'numeric',
      }),
    );

    const detail = await privacyRequestDetail(timely.id);
    const line = detail!.audit.find((a) => a.action === 'privacy_request.extended')!;
    expect(line.actor).toBe('Kalle Compliance (kalle@tarmo.test)');
    expect(line.details).toMatchObject({ personInformed: true });
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
