import nodemailer from 'nodemailer';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeTransaction } from '@/db/client';
import { POST } from '@/app/api/v1/deliverability/[provider]/route';
import { enrollCustomer } from '@/lib/executor/lifecycle';
import { POSTMARK_MESSAGE_HEADER, messageIdFor, smtpMessageOf } from '@/lib/mail/transport';
import { dispatchDueOutbox } from '@/lib/outbox/dispatcher';
import {
  deliverabilityByPurpose,
  deliverabilitySecret,
  recordDeliverabilityEvent,
} from '@/lib/delivery/deliverability';
import { LIFECYCLE_JOBS } from '@/lib/lifecycle/jobs';
import { eventsInReport, startBounceListener } from '@/lib/delivery/bounce-smtp';
import { saveDeliverySettings } from '@/lib/delivery/settings';
import { receiptPage } from '@/lib/privacy/receipt-page';
import { verifyReceiptLocally } from '@/lib/privacy/receipts';
import { useTempDatabase } from '@/tests/helpers/db';
import {
  graphAround,
  insertFixtureCustomers,
  publishFixtureJourney,
  recordTestConsent,
  runUntilIdle,
  seedDemoPurposes,
} from '@/tests/fixtures/executor';

const database = useTempDatabase();
const DAY = 24 * 60 * 60 * 1000;
let customerIndex = 0;
let journeyId = 0;

beforeAll(async () => {
  await seedDemoPurposes();
  journeyId = (
    await writeTransaction(
      async (db) =>
        await publishFixtureJourney(
          db,
          'bounces',
          graphAround(
            {
              id: 'send',
              type: 'send-message',
              position: { x: 0, y: 0 },
              config: { purpose: 'newsletter', channel: 'email', subject: 'Hello', body: 'Body' },
            },
            ['sent', 'skipped'],
          ),
        ),
    )
  ).journeyId;
});

/** A customer with newsletter consent who was sent one journey mail; returns it. */
async function sentMail() {
  const customerId = (
    await writeTransaction(
      async (db) =>
        await insertFixtureCustomers(db, 1, { startIndex: customerIndex++, emailDomain: 'bounce.test' }),
    )
  ).firstId;
  await recordTestConsent(customerId, 'newsletter');
  const enrolled = await enrollCustomer(journeyId, customerId);
  if (!enrolled.ok) throw new Error(enrolled.error.message);
  await runUntilIdle(Date.now());
  await dispatchDueOutbox({ workerId: 'w' });
  const row = await database.get<{ id: number; idempotency_key: string; to_address: string; status: string }>(
    'SELECT id, idempotency_key, to_address, status FROM outbox WHERE enrollment_id = ?',
    enrolled.value.enrollmentId,
  );
  expect(row?.status).toBe('sent');
  return {
    customerId,
    outboxId: Number(row!.id),
    address: row!.to_address,
    messageId: messageIdFor(row!.idempotency_key),
  };
}

function post(provider: string, body: unknown, headers: Record<string, string> = {}) {
  const request = new Request(`http://tarmo.test/api/v1/deliverability/${provider}`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain; charset=UTF-8', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return POST(request, { params: Promise.resolve({ provider }) });
}

const bearer = () => ({ authorization: `Bearer ${deliverabilitySecret()}` });

async function activeBlocks(customerId: number) {
  return await database.all<{ scope: string; reason: string; evidence: string; address: string | null }>(
    'SELECT scope, reason, evidence, address FROM contact_blocks WHERE customer_id = ? AND lifted_at IS NULL ORDER BY id',
    customerId,
  );
}

describe('POST /api/v1/deliverability/{provider}', () => {
  it('an SES complaint through SNS blocks the customer and withdraws the consent the mail was sent for, with the notification as evidence', async () => {
    const mail = await sentMail();
    const sesMessage = {
      notificationType: 'Complaint',
      mail: { messageId: '0100018c-ses', commonHeaders: { messageId: mail.messageId } },
      complaint: { complainedRecipients: [{ emailAddress: mail.address }], complaintFeedbackType: 'abuse' },
    };
    const response = await post(
      'ses',
      {
        Type: 'Notification',
        MessageId: 'sns-1',
        TopicArn: 'arn:aws:sns:eu-west-1:1:bounces',
        Message: JSON.stringify(sesMessage),
      },
      bearer(),
    );
    expect(response.status).toBe(200);
    const body = (await response.json()) as { recorded: number; outcomes: Record<string, unknown>[] };
    expect(body.outcomes).toEqual([
      expect.objectContaining({
        kind: 'complaint',
        matchedMail: true,
        blocked: true,
        consentWithdrawn: true,
      }),
    ]);
    expect(await activeBlocks(mail.customerId)).toEqual([
      expect.objectContaining({ scope: 'all', reason: 'complaint' }),
    ]);
    const state = await database.get<{ state: string }>(
      "SELECT cs.state FROM consent_state cs JOIN purposes p ON p.id = cs.purpose_id WHERE cs.customer_id = ? AND p.key = 'newsletter' AND cs.theme_key = ''",
      mail.customerId,
    );
    expect(state?.state).toBe('withdrawn');
    const event = await database.get<{ id: number; action: string; source: string; details: string }>(
      `SELECT e.id, e.action, e.source, ev.details FROM consent_events e JOIN consent_evidence ev ON ev.event_id = e.id
       WHERE e.customer_id = ? ORDER BY e.id DESC LIMIT 1`,
      mail.customerId,
    );
    expect(event).toMatchObject({ action: 'withdraw', source: 'system' });
    expect(JSON.parse(event!.details)).toMatchObject({
      kind: 'complaint',
      provider: 'ses',
      outboxId: mail.outboxId,
      messageId: mail.messageId,
    });
    // The person's consent receipt for the withdrawal says it was their complaint, signed and tied
    // to the ledger event.
    const stored = await database.get<{ receipt_id: string; token: string }>(
      'SELECT receipt_id, token FROM consent_receipts WHERE event_id = ?',
      event!.id,
    );
    const verified = await verifyReceiptLocally(stored!.token);
    expect(verified.ok).toBe(true);
    if (!verified.ok) return;
    expect(verified.payload).toMatchObject({
      event: { action: 'withdraw', state: 'withdrawn' },
      purpose: { key: 'newsletter' },
      method: { kind: 'complaint', detail: 'spam complaint reported by ses' },
      ledger: { eventId: Number(event!.id) },
    });
    const page = receiptPage(
      { receiptId: stored!.receipt_id, token: stored!.token, kid: verified.kid, payload: verified.payload },
      'en',
    );
    expect(page.html).toContain('by reporting our mail as spam (your mail provider told us)');
    const evidence = await database.get<{ raw: string; kind: string; outbox_id: number }>(
      'SELECT raw, kind, outbox_id FROM deliverability_notifications WHERE customer_id = ?',
      mail.customerId,
    );
    expect(evidence).toMatchObject({ kind: 'complaint' });
    expect(Number(evidence!.outbox_id)).toBe(mail.outboxId);
    expect(evidence!.raw).toContain('sns-1');
  });

  it('a Postmark hard bounce blocks the address (historized, with evidence)', async () => {
    const mail = await sentMail();
    const response = await post(
      'postmark',
      {
        RecordType: 'Bounce',
        Type: 'HardBounce',
        Email: mail.address,
        MessageID: 'pm-1',
        Description: 'The server was unable to deliver your message',
      },
      { authorization: `Basic ${Buffer.from(`postmark:${deliverabilitySecret()}`).toString('base64')}` },
    );
    expect(response.status).toBe(200);
    const blocks = await activeBlocks(mail.customerId);
    expect(blocks).toEqual([
      expect.objectContaining({ scope: 'address', reason: 'bounce', address: mail.address }),
    ]);
    expect(blocks[0]!.evidence).toMatch(/^Hard bounce: postmark notification \d+: HardBounce/);
  });

  it('a Postmark spam complaint withdraws the purpose of the mail it is about, found by the metadata Tarmo sent', async () => {
    const mail = await sentMail();
    // A later mail for another purpose to the same address: the latest mail is not the one complained about.
    await recordTestConsent(mail.customerId, 'personalised-offers');
    const offers = await writeTransaction(
      async (db) =>
        await publishFixtureJourney(
          db,
          'offers after newsletter',
          graphAround(
            {
              id: 'send',
              type: 'send-message',
              position: { x: 0, y: 0 },
              config: { purpose: 'personalised-offers', channel: 'email', subject: 'Offer', body: 'Body' },
            },
            ['sent', 'skipped'],
          ),
        ),
    );
    expect((await enrollCustomer(offers.journeyId, mail.customerId)).ok).toBe(true);
    await runUntilIdle(Date.now());
    expect(await dispatchDueOutbox({ workerId: 'w' })).toMatchObject({ sent: 1 });

    // What Postmark sends back: its own MessageID, and the metadata of Tarmo's X-PM-Metadata header.
    const header = smtpMessageOf({
      idempotencyKey: 'any',
      to: mail.address,
      subject: 'Hello',
      text: 'Body',
      headers: {},
    }).headers as Record<string, string>;
    expect(`<${header[POSTMARK_MESSAGE_HEADER]}@tarmo>`).toBe(messageIdFor('any'));
    const response = await post(
      'postmark',
      {
        RecordType: 'SpamComplaint',
        Type: 'SpamComplaint',
        TypeCode: 512,
        MessageID: '00000000-0000-0000-0000-000000000000',
        Metadata: { 'tarmo-message-id': mail.messageId.slice(1, -7) },
        Email: mail.address,
        Description: 'The subscriber explicitly marked this message as spam.',
      },
      bearer(),
    );
    expect(response.status).toBe(200);
    const states = await database.all<{ key: string; state: string }>(
      `SELECT p.key, cs.state FROM consent_state cs JOIN purposes p ON p.id = cs.purpose_id
        WHERE cs.customer_id = ? AND cs.theme_key = '' ORDER BY p.key`,
      mail.customerId,
    );
    expect(states).toEqual([
      { key: 'newsletter', state: 'withdrawn' },
      { key: 'personalised-offers', state: 'granted' },
    ]);
    const evidence = await database.get<{ outbox_id: number }>(
      "SELECT outbox_id FROM deliverability_notifications WHERE customer_id = ? AND provider = 'postmark'",
      mail.customerId,
    );
    expect(Number(evidence?.outbox_id)).toBe(mail.outboxId);
  });

  it('soft bounces send the mail again, and block the address at the workspace limit', async () => {
    const saved = await saveDeliverySettings(
      {
        email: { cap: null, quietHours: null, exemptTransactional: true, softBounceLimit: 2 },
        rateLimits: [],
      },
      { id: 1, email: 'a@tarmo.test', name: 'A', role: 'admin' },
    );
    expect(saved.ok).toBe(true);
    const mail = await sentMail();
    const soft = {
      type: 'soft-bounce',
      email: mail.address,
      messageId: mail.messageId,
      detail: '4.2.2 mailbox full',
    };
    const first = await post('generic', soft, bearer());
    expect(((await first.json()) as { outcomes: { retried: boolean }[] }).outcomes[0]!.retried).toBe(true);
    const row = await database.get<{ status: string; next_attempt_at: number | string }>(
      'SELECT status, next_attempt_at FROM outbox WHERE id = ?',
      mail.outboxId,
    );
    expect(row?.status).toBe('queued');
    expect(await activeBlocks(mail.customerId)).toEqual([]);
    // The dispatcher sends it again when its retry is due (not before).
    const retryAt = Number(row!.next_attempt_at);
    expect(retryAt).toBeGreaterThan(Date.now());
    expect(await dispatchDueOutbox({ workerId: 'w', now: () => retryAt - 1000 })).toMatchObject({ sent: 0 });
    expect(await dispatchDueOutbox({ workerId: 'w', now: () => retryAt })).toMatchObject({ sent: 1 });
    const resent = await database.get<{ status: string; attempts: number | string }>(
      'SELECT status, attempts FROM outbox WHERE id = ?',
      mail.outboxId,
    );
    expect(resent?.status).toBe('sent');
    // The bounce counted as an attempt (what caps its retries), the new delivery as another.
    expect(Number(resent?.attempts)).toBe(3);
    const second = await post('generic', { events: [soft] }, bearer());
    expect(((await second.json()) as { outcomes: { blocked: boolean }[] }).outcomes[0]!.blocked).toBe(true);
    expect(await activeBlocks(mail.customerId)).toEqual([
      expect.objectContaining({ scope: 'address', reason: 'bounce' }),
    ]);
  });

  it('refuses a missing or wrong secret with 401 before reading the body', async () => {
    const complaint = { type: 'complaint', email: 'someone@bounce.test' };
    expect((await post('generic', complaint)).status).toBe(401);
    expect((await post('generic', complaint, { authorization: 'Bearer wrong-secret' })).status).toBe(401);
    expect(
      (await post('generic', complaint, { authorization: `Bearer ${deliverabilitySecret()}x` })).status,
    ).toBe(401);
    expect(
      (
        await post('generic', complaint, {
          authorization: `Basic ${Buffer.from('user:nope').toString('base64')}`,
        })
      ).status,
    ).toBe(401);
    expect((await post('generic', '{not json', { authorization: 'Bearer nope' })).status).toBe(401);
    const count = await database.get<{ n: number }>(
      "SELECT count(*) AS n FROM deliverability_notifications WHERE address = 'someone@bounce.test'",
    );
    expect(Number(count?.n)).toBe(0);
    expect((await post('mailgun', complaint, bearer())).status).toBe(404);
  });

  it('refuses bad bodies with 400 naming the field, and records nothing', async () => {
    const bad = async (provider: string, body: unknown) => {
      const response = await post(provider, body, bearer());
      expect(response.status).toBe(400);
      return ((await response.json()) as { error: { field?: string; code: string } }).error;
    };
    expect(await bad('generic', { type: 'complaint' })).toMatchObject({ field: 'email' });
    expect(await bad('generic', { type: 'unsubscribe', email: 'a@bounce.test' })).toMatchObject({
      field: 'type',
    });
    expect(await bad('generic', { events: [{ type: 'complaint', email: 'not-an-address' }] })).toMatchObject({
      field: 'events.0.email',
    });
    expect(await bad('generic', '{"type":')).toMatchObject({ code: 'malformed_json' });
    expect(await bad('postmark', { RecordType: 'Bounce', Type: 'HardBounce' })).toMatchObject({
      field: 'Email',
    });
    expect(
      await bad('ses', { Type: 'Notification', Message: '{"notificationType":"Bounce","mail":{}}' }),
    ).toMatchObject({
      field: 'bounce',
    });
    // SubscriptionConfirmation: only an SNS host is ever fetched (no internal or arbitrary URL).
    for (const url of [
      'http://127.0.0.1:3000/admin',
      'https://sns.eu-west-1.amazonaws.com.evil.test/x',
      'https://user:pw@sns.eu-west-1.amazonaws.com/',
    ])
      expect(
        await bad('ses', { Type: 'SubscriptionConfirmation', Message: 'confirm', SubscribeURL: url }),
      ).toMatchObject({
        field: 'SubscribeURL',
      });
  });
});

/** A delivery status notification as a mail server sends it (RFC 3464), for Tarmo's mail. */
function dsn(options: { to: string; messageId: string; action: string; status: string }) {
  return [
    'From: Mail Delivery System <MAILER-DAEMON@mx.bounce.test>',
    'To: bounces@tarmo.test',
    'Subject: Undelivered Mail Returned to Sender',
    'MIME-Version: 1.0',
    'Content-Type: multipart/report; report-type=delivery-status; boundary="b1"',
    '',
    '--b1',
    'Content-Type: text/plain',
    '',
    'Your message could not be delivered.',
    '',
    '--b1',
    'Content-Type: message/delivery-status',
    '',
    'Reporting-MTA: dns; mx.bounce.test',
    'Arrival-Date: Mon, 7 Dec 2026 05:00:00 +0000',
    '',
    `Final-Recipient: rfc822; ${options.to.toUpperCase()}`,
    `Action: ${options.action}`,
    `Status: ${options.status}`,
    `Diagnostic-Code: smtp; ${options.status.startsWith('5') ? '550 5.1.1 user unknown' : '452 4.2.2 mailbox full'}`,
    '',
    '--b1',
    'Content-Type: text/rfc822-headers',
    '',
    'From: Tarmo Village Shop <no-reply@tarmo.localhost>',
    `To: ${options.to}`,
    `Message-ID: ${options.messageId}`,
    'Subject: Hello',
    '',
    '--b1--',
    '',
  ].join('\r\n');
}

describe('Mission Control rates', () => {
  it('counts bounces and complaints per purpose against the mail sent for it', async () => {
    const rates = await deliverabilityByPurpose(30);
    const newsletter = rates.find((rate) => rate.purposeName === 'Newsletter');
    // Four newsletter mails sent (the soft-bounced one went out again after its first bounce), two
    // complaints (SES, Postmark), one hard bounce, two soft bounces.
    expect(newsletter).toMatchObject({ sent: 4, complaints: 2, hardBounces: 1, softBounces: 2 });
    expect(newsletter).toMatchObject({ bounceRate: 75, complaintRate: 50 });
    // The offer mail the Postmark complaint was not about counts for its own purpose, cleanly.
    expect(rates.find((rate) => rate.purposeName === 'Personalised offers')).toMatchObject({
      sent: 1,
      complaints: 0,
      hardBounces: 0,
      softBounces: 0,
      bounceRate: 0,
      complaintRate: 0,
    });
  });
});

describe('bounce reports by SMTP (RFC 3464)', () => {
  it('parses a DSN: failed 5.x.x is a hard bounce, delayed or 4.x.x a soft one, with the original Message-ID', async () => {
    const hard = await eventsInReport(
      Buffer.from(
        dsn({ to: 'Gone@Bounce.test', messageId: '<abc@tarmo>', action: 'failed', status: '5.1.1' }),
      ),
    );
    expect(hard).toEqual([
      {
        kind: 'hard-bounce',
        address: 'gone@bounce.test',
        messageId: '<abc@tarmo>',
        detail: 'failed 5.1.1 smtp; 550 5.1.1 user unknown',
      },
    ]);
    const soft = await eventsInReport(
      Buffer.from(
        dsn({ to: 'full@bounce.test', messageId: '<def@tarmo>', action: 'delayed', status: '4.2.2' }),
      ),
    );
    expect(soft).toEqual([expect.objectContaining({ kind: 'soft-bounce', address: 'full@bounce.test' })]);
    expect(await eventsInReport(Buffer.from('From: a@b.test\r\nSubject: hi\r\n\r\njust mail\r\n'))).toEqual(
      [],
    );
  });

  it('the listener records a DSN sent to it and blocks the address', async () => {
    const mail = await sentMail();
    const listener = await startBounceListener({ port: 0, host: '127.0.0.1' });
    try {
      const transport = nodemailer.createTransport({
        host: '127.0.0.1',
        port: listener.port,
        secure: false,
        ignoreTLS: true,
      });
      await transport.sendMail({
        envelope: { from: '', to: 'bounces@tarmo.test' },
        raw: dsn({ to: mail.address, messageId: mail.messageId, action: 'failed', status: '5.1.1' }),
      });
      transport.close();
      const notification = await database.get<{
        provider: string;
        kind: string;
        outbox_id: number;
        block_id: number;
      }>(
        'SELECT provider, kind, outbox_id, block_id FROM deliverability_notifications WHERE customer_id = ?',
        mail.customerId,
      );
      expect(notification).toMatchObject({ provider: 'smtp-dsn', kind: 'hard-bounce' });
      expect(Number(notification!.outbox_id)).toBe(mail.outboxId);
      expect(await activeBlocks(mail.customerId)).toEqual([
        expect.objectContaining({ scope: 'address', reason: 'bounce' }),
      ]);
    } finally {
      await listener.close();
    }
  });
});

describe('evidence retention', () => {
  it('keeps the raw notification 400 days as evidence; the prune job then deletes it and the block stays', async () => {
    const now = Date.now();
    const record = async (address: string, at: number) =>
      await writeTransaction(
        async (db) =>
          await recordDeliverabilityEvent(db, {
            provider: 'generic',
            event: { kind: 'hard-bounce', address, detail: '5.1.1 user unknown' },
            raw: `{"type":"hard-bounce","email":"${address}"}`,
            now: new Date(at),
          }),
      );
    const old = await record('old.evidence@bounce.test', now - 401 * DAY);
    const kept = await record('kept.evidence@bounce.test', now - 399 * DAY);
    const job = LIFECYCLE_JOBS.find((candidate) => candidate.key === 'prune-deliverability-evidence')!;
    expect(await job.run(new Date(now))).toBe(1);
    const left = await database.all<{ id: number }>(
      'SELECT id FROM deliverability_notifications WHERE id IN (?, ?)',
      old.notificationId,
      kept.notificationId,
    );
    expect(left.map((row) => Number(row.id))).toEqual([kept.notificationId]);
    // The block outlives its evidence row (it is historized on its own, with the evidence text).
    const block = await database.get<{ lifted_at: number | null; evidence: string }>(
      'SELECT lifted_at, evidence FROM contact_blocks WHERE id = ?',
      old.blockId,
    );
    expect(block).toMatchObject({ lifted_at: null });
    expect(block!.evidence).toContain(`generic notification ${old.notificationId}`);
  });
});
