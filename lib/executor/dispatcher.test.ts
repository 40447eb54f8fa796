import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { writeTransaction, sqlRun, sqlAll } from '@/db/client';

import { resetAppEnv } from '@/lib/config/env';
import { claimDueOutboxIn } from '@/db/store/outbox';
import { dispatchDueOutbox } from '@/lib/outbox/dispatcher';
import { closeSmtpPool, messageIdFor } from '@/lib/mail/transport';
import { checkContactAllowed } from '@/lib/privacy/contact-check';
import { lookupLink } from '@/lib/privacy/links';
import { signWebhook } from '@/lib/webhooks/sign';
import { enqueueWebhookEvent } from '@/lib/webhooks/enqueue';
import { useTempDatabase } from '@/tests/helpers/db';
import { enrollCustomer, pauseJourney, resumeJourney } from './lifecycle';
import {
  graphAround,
  insertFixtureCustomers,
  publishFixtureJourney,
  runUntilIdle,
  recordTestConsent,
  seedDemoPurposes,
} from '@/tests/fixtures/executor';

const database = useTempDatabase();
let customerIndex = 0;

beforeAll(async () => {
  await seedDemoPurposes();
});

afterEach(() => {
  delete process.env.SMTP_URL;
  resetAppEnv();
});

async function query<T>(sql: string, ...params: unknown[]): Promise<T[]> {
  return (await sqlAll(database.handle().db, sql, [...params])) as T[];
}

/** A customer with newsletter consent and one queued journey mail; returns ids. */
async function queuedMail() {
  const customer = (
    await writeTransaction(
      async (db) =>
        await insertFixtureCustomers(db, 1, {
          startIndex: customerIndex++,
          emailDomain: 'dispatch.test',
        }),
    )
  ).firstId;
  await recordTestConsent(customer, 'newsletter');
  const { journeyId } = await writeTransaction(
    async (db) =>
      await publishFixtureJourney(
        db,
        'mail',
        graphAround(
          {
            id: 'send',
            type: 'send-message',
            position: { x: 0, y: 0 },
            config: { purpose: 'newsletter', channel: 'email', subject: 'Hello {{firstName}}', body: 'Body' },
          },
          ['sent'],
        ),
      ),
  );
  const enrolled = await enrollCustomer(journeyId, customer);
  if (!enrolled.ok) throw new Error(enrolled.error.message);
  await runUntilIdle(Date.now());
  const [row] = await query<{ id: number; idempotency_key: string; status: string }>(
    'SELECT id, idempotency_key, status FROM outbox WHERE customer_id = ?',
    customer,
  );
  return {
    customer,
    journeyId,
    enrollmentId: enrolled.value.enrollmentId,
    outboxId: row.id,
    key: row.idempotency_key,
  };
}

async function outboxRow(id: number) {
  return (
    await query<{
      status: string;
      cancel_reason: string | null;
      attempts: number;
      next_attempt_at: number;
      last_error: string | null;
    }>('SELECT status, cancel_reason, attempts, next_attempt_at, last_error FROM outbox WHERE id = ?', id)
  )[0];
}

describe('dispatcher', () => {
  it('delivers to the built-in outbox when no SMTP server is configured', async () => {
    const mail = await queuedMail();
    const result = await dispatchDueOutbox({ workerId: 'd' });
    expect(result.sent).toBeGreaterThanOrEqual(1);
    expect(await outboxRow(mail.outboxId)).toMatchObject({ status: 'sent', attempts: 1 });
  });

  it('cancels mail whose consent was withdrawn before sending and records why in the journey history', async () => {
    const mail = await queuedMail();
    // A dispatcher claimed the mail and died before sending, so the withdrawal (which cancels
    // queued mail itself) finds it in flight; only the send-time guard can stop it now.
    const now = Date.now();
    await writeTransaction(
      async (db) => await claimDueOutboxIn(db, { owner: 'crashed', now, leaseMs: 1000, limit: 100 }),
    );
    await recordTestConsent(mail.customer, 'newsletter', 'withdraw', 'form');
    expect((await outboxRow(mail.outboxId)).status).toBe('sending');
    await dispatchDueOutbox({ workerId: 'd', now: () => now + 1001 });
    const row = await outboxRow(mail.outboxId);
    expect(row.status).toBe('cancelled');
    expect(row.cancel_reason).toBe('cancelled before sending: no consent for Newsletter (withdrawn)');
    const last = (
      await query<{ outcome: string; reason: string }>(
        'SELECT outcome, reason FROM step_events WHERE enrollment_id = ? ORDER BY seq DESC LIMIT 1',
        mail.enrollmentId,
      )
    )[0];
    expect(last).toEqual({ outcome: 'cancelled-send', reason: row.cancel_reason });
  });

  it('holds the mail of a paused journey until it resumes', async () => {
    const mail = await queuedMail();
    await pauseJourney(mail.journeyId);
    await dispatchDueOutbox({ workerId: 'd' });
    expect((await outboxRow(mail.outboxId)).status).toBe('queued');
    await resumeJourney(mail.journeyId);
    await dispatchDueOutbox({ workerId: 'd' });
    expect((await outboxRow(mail.outboxId)).status).toBe('sent');
  });

  it('sends through SMTP with a stable Message-ID and the unsubscribe headers', async () => {
    const received: Buffer[] = [];
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onData(stream, _session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          received.push(Buffer.concat(chunks));
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const port = (server.server.address() as AddressInfo).port;
      process.env.SMTP_URL = `smtp://127.0.0.1:${port}`;
      resetAppEnv();
      const mail = await queuedMail();
      await dispatchDueOutbox({ workerId: 'd' });
      expect((await outboxRow(mail.outboxId)).status).toBe('sent');
      const raw = received.at(-1)!;
      const parsed = await simpleParser(raw);
      expect(parsed.messageId).toBe(messageIdFor(mail.key));
      expect(parsed.subject).toBe('Hello Customer');
      expect(raw.toString()).toContain('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    } finally {
      // The dispatcher's pooled connections stay open; the server would wait for them.
      closeSmtpPool();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('gives up on a mail the SMTP server refuses with 550 and blocks the address (hard bounce)', async () => {
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onRcptTo(_address, _session, callback) {
        callback(Object.assign(new Error('5.1.1 No such user here'), { responseCode: 550 }));
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      process.env.SMTP_URL = `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
      resetAppEnv();
      const mail = await queuedMail();
      const [customer] = await query<{ email: string }>(
        'SELECT email FROM customers WHERE id = ?',
        mail.customer,
      );
      expect(
        (
          await checkContactAllowed(database.handle().db, {
            customerId: mail.customer,
            purposeKey: 'newsletter',
          })
        ).allowed,
      ).toBe(true);

      const result = await dispatchDueOutbox({ workerId: 'd' });
      expect(result).toMatchObject({ failed: 1, retried: 0 });
      const row = await outboxRow(mail.outboxId);
      expect(row).toMatchObject({ status: 'failed', attempts: 1 });
      expect(row.last_error).toContain('550');

      const blocks = await query<{
        scope: string;
        reason: string;
        address: string;
        customer_id: number;
        evidence: string;
      }>(
        'SELECT scope, reason, address, customer_id, evidence FROM contact_blocks WHERE lifted_at IS NULL AND address = ?',
        customer.email,
      );
      expect(blocks).toHaveLength(1);
      expect(blocks[0]).toMatchObject({ scope: 'address', reason: 'bounce', customer_id: mail.customer });
      expect(blocks[0].evidence).toContain('550');
      expect(
        await checkContactAllowed(database.handle().db, {
          customerId: mail.customer,
          purposeKey: 'newsletter',
        }),
      ).toMatchObject({
        allowed: false,
        code: 'blocked',
        reason: 'skipped: contact block (address, bounce)',
      });
    } finally {
      // The dispatcher's pooled connections stay open; the server would wait for them.
      closeSmtpPool();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('retries a temporary SMTP refusal (4xx) without blocking anyone', async () => {
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onRcptTo(_address, _session, callback) {
        callback(Object.assign(new Error('4.2.2 Mailbox full, try later'), { responseCode: 452 }));
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      process.env.SMTP_URL = `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
      resetAppEnv();
      const mail = await queuedMail();
      const result = await dispatchDueOutbox({ workerId: 'd' });
      expect(result).toMatchObject({ failed: 0, retried: 1 });
      expect(await outboxRow(mail.outboxId)).toMatchObject({ status: 'queued', attempts: 1 });
      expect(
        await query(
          'SELECT id FROM contact_blocks WHERE customer_id = ? AND lifted_at IS NULL',
          mail.customer,
        ),
      ).toHaveLength(0);
    } finally {
      // The dispatcher's pooled connections stay open; the server would wait for them.
      closeSmtpPool();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('renders a journey mail when it first sends it, for the customer as they are then, and resends the same bytes', async () => {
    const received: string[] = [];
    let refuseNext = true;
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onRcptTo(_address, _session, callback) {
        if (!refuseNext) return callback();
        refuseNext = false;
        callback(Object.assign(new Error('4.2.2 Mailbox full, try later'), { responseCode: 452 }));
      },
      onData(stream, _session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          received.push(Buffer.concat(chunks).toString());
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      process.env.SMTP_URL = `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
      resetAppEnv();
      const mail = await queuedMail();
      type Stored = { to_address: string | null; subject: string | null; body_text: string | null };
      const stored = async () =>
        (
          await query<Stored>('SELECT to_address, subject, body_text FROM outbox WHERE id = ?', mail.outboxId)
        )[0];
      const unsubscribeTokens = async () =>
        await query('SELECT id FROM tokens WHERE customer_id = ? AND kind = ?', mail.customer, 'unsubscribe');
      // Queued by the journey: nothing personal copied yet, no link minted.
      expect(await stored()).toEqual({ to_address: null, subject: null, body_text: null });
      expect(await unsubscribeTokens()).toHaveLength(0);

      // The customer corrects their name before the mail goes out: the mail uses the new one.
      await sqlRun(database.handle().db, 'UPDATE customers SET name = ? WHERE id = ?', [
        'Renamed Person',
        mail.customer,
      ]);
      const start = Date.now();
      await dispatchDueOutbox({ workerId: 'd', now: () => start });
      expect(await outboxRow(mail.outboxId)).toMatchObject({ status: 'queued', attempts: 1 });
      const rendered = await stored();
      expect(rendered.subject).toBe('Hello Renamed');
      expect(rendered.to_address).toMatch(/@dispatch\.test$/);
      expect(await unsubscribeTokens()).toHaveLength(1);

      // The retry sends what was rendered, with the same (one) unsubscribe link.
      await dispatchDueOutbox({ workerId: 'd', now: () => start + 60 * 60 * 1000 });
      expect(await outboxRow(mail.outboxId)).toMatchObject({ status: 'sent', attempts: 2 });
      expect(await stored()).toEqual(rendered);
      expect(await unsubscribeTokens()).toHaveLength(1);
      const parsedAll = await Promise.all(received.map((raw) => simpleParser(raw)));
      const parsed = parsedAll.find((one) => one.messageId === messageIdFor(mail.key))!;
      expect(parsed.subject).toBe('Hello Renamed');
      expect(parsed.text?.trim()).toBe(rendered.body_text?.trim());
      const raw = /\/unsubscribe\/([A-Za-z0-9_-]+)/.exec(rendered.body_text ?? '')?.[1];
      expect(raw).toBeDefined();
      const link = await lookupLink(database.handle().db, raw!, ['unsubscribe']);
      expect(link.ok && link.value.customerId).toBe(mail.customer);
    } finally {
      // The dispatcher's pooled connections stay open; the server would wait for them.
      closeSmtpPool();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('cancels a journey mail whose step cannot be found and records why', async () => {
    const mail = await queuedMail();
    const [{ payload }] = await query<{ payload: string }>(
      'SELECT payload FROM outbox WHERE id = ?',
      mail.outboxId,
    );
    await sqlRun(database.handle().db, 'UPDATE outbox SET payload = ? WHERE id = ?', [
      JSON.stringify({ ...(JSON.parse(payload) as object), nodeId: 'gone' }),
      mail.outboxId,
    ]);
    expect(await dispatchDueOutbox({ workerId: 'd' })).toMatchObject({ cancelled: 1 });
    expect(await outboxRow(mail.outboxId)).toMatchObject({
      status: 'cancelled',
      cancel_reason: 'cancelled before sending: its journey step no longer exists',
    });
    const [last] = await query<{ outcome: string; reason: string }>(
      'SELECT outcome, reason FROM step_events WHERE enrollment_id = ? ORDER BY seq DESC LIMIT 1',
      mail.enrollmentId,
    );
    expect(last).toEqual({
      outcome: 'cancelled-send',
      reason: 'cancelled before sending: its journey step no longer exists',
    });
    expect(
      await query('SELECT id FROM tokens WHERE customer_id = ? AND kind = ?', mail.customer, 'unsubscribe'),
    ).toHaveLength(0);
  });

  it('signs webhooks and retries failed deliveries with backoff', async () => {
    const secret = crypto.randomBytes(16).toString('hex');
    const deliveries: { signature: string; body: string }[] = [];
    let failNext = true;
    const server = http.createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        deliveries.push({ signature: String(request.headers['x-tarmo-signature']), body });
        response.statusCode = failNext ? 500 : 204;
        failNext = false;
        response.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const port = (server.address() as AddressInfo).port;
      const url = `http://127.0.0.1:${port}/hook`;
      // The receiver is on loopback, which webhooks may reach only when the operator allows it.
      process.env.TARMO_WEBHOOK_ALLOW_HOSTS = `127.0.0.1:${port}`;
      await sqlRun(
        database.handle().db,
        `INSERT INTO webhooks (name, url, events, secret, active, created_at) VALUES ('crm', ?, '["customer.erased"]', ?, 1, ?)`,
        [url, secret, Date.now()],
      );
      await writeTransaction(
        async (db) => await enqueueWebhookEvent(db, 'customer.erased', { customerId: 1 }),
      );
      const [row] = await query<{ id: number }>(
        `SELECT id FROM outbox WHERE kind = 'webhook' ORDER BY id DESC LIMIT 1`,
      );

      const start = Date.now();
      expect((await dispatchDueOutbox({ workerId: 'd' })).retried).toBe(1);
      const afterFailure = await outboxRow(row.id);
      expect(afterFailure).toMatchObject({ status: 'queued', attempts: 1, last_error: 'HTTP 500' });
      expect(afterFailure.next_attempt_at).toBeGreaterThanOrEqual(start + 30_000);
      // Not due yet: nothing is sent before the backoff ends.
      await dispatchDueOutbox({ workerId: 'd' });
      expect(deliveries).toHaveLength(1);

      await dispatchDueOutbox({ workerId: 'd', now: () => afterFailure.next_attempt_at });
      expect(await outboxRow(row.id)).toMatchObject({ status: 'sent', attempts: 2 });
      expect(deliveries).toHaveLength(2);
      const { signature, body } = deliveries[1];
      const timestamp = Number(/^t=(\d+),/.exec(signature)?.[1]);
      expect(signature).toBe(signWebhook(secret, timestamp, body));
      expect(JSON.parse(body)).toMatchObject({ type: 'customer.erased', data: { customerId: 1 } });
    } finally {
      delete process.env.TARMO_WEBHOOK_ALLOW_HOSTS;
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('refuses at delivery a webhook whose host is internal, and the listener receives nothing', async () => {
    let received = 0;
    const server = http.createServer((_request, response) => {
      received++;
      response.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const port = (server.address() as AddressInfo).port;
      await sqlRun(database.handle().db, 'UPDATE webhooks SET active = 0', []);
      // Saved before the check existed (or the host resolved elsewhere when it was saved).
      await sqlRun(
        database.handle().db,
        `INSERT INTO webhooks (name, url, events, secret, active, created_at) VALUES ('inside', ?, '["customer.erased"]', 's', 1, ?)`,
        [`http://0x7f.1:${port}/hook`, Date.now()],
      );
      await writeTransaction(
        async (db) => await enqueueWebhookEvent(db, 'customer.erased', { customerId: 1 }),
      );
      const [row] = await query<{ id: number }>(
        `SELECT id FROM outbox WHERE kind = 'webhook' ORDER BY id DESC LIMIT 1`,
      );
      expect((await dispatchDueOutbox({ workerId: 'd' })).failed).toBe(1);
      const after = await outboxRow(row.id);
      expect(after).toMatchObject({ status: 'failed' });
      expect(String(after.last_error)).toMatch(/^refused: 127\.0\.0\.1 is an internal address \(loopback\)/);
      expect(received).toBe(0);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
