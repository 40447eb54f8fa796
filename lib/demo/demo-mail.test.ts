import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterEach, describe, expect, it } from 'vitest';
import { resetAppEnv } from '@/lib/config/env';
import { runUntilIdle } from '@/tests/fixtures/executor';
import { dispatchDueOutbox } from '@/lib/outbox/dispatcher';
import { closeSmtpPool, deliverMail } from '@/lib/mail/transport';
import { useTempDatabase } from '@/tests/helpers/db';
import { seedDemoWorkspace } from './seed';

const database = useTempDatabase();

afterEach(() => {
  delete process.env.SMTP_URL;
  delete process.env.TARMO_DEMO_MAIL_VIA_SMTP;
  resetAppEnv();
});

/** A real SMTP server on a free port that records every recipient it accepts. */
async function smtpSink() {
  const recipients: string[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onRcptTo(address, _session, callback) {
      recipients.push(address.address);
      callback();
    },
    onData(stream, _session, callback) {
      stream.resume();
      stream.on('end', () => callback());
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  process.env.SMTP_URL = `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
  resetAppEnv();
  return {
    recipients,
    close: () => {
      // The dispatcher's pooled connections stay open; the server would wait for them.
      closeSmtpPool();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('demo mail with SMTP_URL set', () => {
  it('the demo workspace first start sends nothing through the real server: its mail stays in the outbox', async () => {
    const sink = await smtpSink();
    try {
      await seedDemoWorkspace({ customerCount: 60 });
      await runUntilIdle(Date.now());
      for (let round = 0; round < 20; round++) {
        const result = await dispatchDueOutbox({ workerId: 'demo-test' });
        if (result.sent + result.retried + result.failed + result.cancelled === 0) break;
      }
      const [sent] = await database.all<{ n: number }>(
        "SELECT count(*) AS n FROM outbox WHERE kind = 'email' AND status = 'sent'",
      );
      // The demo queues opt-in and welcome mails; all of them are delivered to the outbox only.
      expect(sent.n).toBeGreaterThan(5);
      expect(sink.recipients).toEqual([]);
    } finally {
      await sink.close();
    }
  });

  it('mail to a real address still goes through SMTP; a demo address only with the test-harness switch', async () => {
    const sink = await smtpSink();
    try {
      const mail = { subject: 's', text: 't', headers: {} };
      expect(
        await deliverMail({ ...mail, idempotencyKey: 'a', to: 'aino.virtanen.1@example.com' }),
      ).toMatchObject({
        delivered: true,
        via: 'outbox',
      });
      expect(await deliverMail({ ...mail, idempotencyKey: 'b', to: 'someone@customer.test' })).toMatchObject({
        delivered: true,
        via: 'smtp',
      });
      process.env.TARMO_DEMO_MAIL_VIA_SMTP = '1';
      expect(
        await deliverMail({ ...mail, idempotencyKey: 'c', to: 'aino.virtanen.1@example.com' }),
      ).toMatchObject({
        via: 'smtp',
      });
      expect(sink.recipients).toEqual(['someone@customer.test', 'aino.virtanen.1@example.com']);
    } finally {
      await sink.close();
    }
  });
});
