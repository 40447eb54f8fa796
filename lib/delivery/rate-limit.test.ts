import { spawn } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeTransaction } from '@/db/client';
import { insertOutboxEmails } from '@/db/store/outbox';
import { saveDeliverySettings } from '@/lib/delivery/settings';
import { useTempDatabase } from '@/tests/helpers/db';

/**
 * Three real worker processes share one provider limit of 50 mails per second against a real
 * SMTP server; the server's own arrival timestamps must never show more than 50 in any second.
 */
const database = useTempDatabase();
const admin = { id: 1, email: 'admin@tarmo.test', name: 'Admin', role: 'admin' as const };
const MAILS = 300;
const PER_SECOND = 50;
const arrivals: number[] = [];
let server: SMTPServer;
let port = 0;

beforeAll(async () => {
  server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, _session, callback) {
      stream.resume();
      stream.on('end', () => {
        arrivals.push(Date.now());
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function worker(name: string): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'tests/helpers/dispatch-child.ts', name], {
    env: { ...process.env, SMTP_URL: `smtp://127.0.0.1:${port}`, TARMO_SMTP_CONCURRENCY: '4' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => process.stderr.write(`[${name}] ${chunk.toString()}`));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, output })));
}

/** The most arrivals in any window of `windowMs` (half-open), from sorted timestamps. */
function busiestWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    while (sorted[end] - sorted[start] >= windowMs) start++;
    most = Math.max(most, end - start + 1);
  }
  return most;
}

describe('provider send-rate limit', () => {
  it(`three worker processes together never exceed ${PER_SECOND} mails per second at the server`, async () => {
    const saved = await saveDeliverySettings(
      {
        email: { cap: null, quietHours: null, exemptTransactional: true, softBounceLimit: 3 },
        rateLimits: [{ provider: '127.0.0.1', perSecond: PER_SECOND, perHour: null }],
      },
      admin,
    );
    expect(saved.ok).toBe(true);
    const now = Date.now();
    await writeTransaction(
      async (db) =>
        await insertOutboxEmails(
          db,
          Array.from({ length: MAILS }, (_, i) => ({
            idempotencyKey: `rate-${i}`,
            category: 'transactional' as const,
            customerId: null,
            purposeId: null,
            themeKey: null,
            enrollmentId: null,
            toAddress: `person${i}@rate-limit.test`,
            subject: `Receipt ${i}`,
            bodyText: 'Thank you',
            bodyHtml: null,
            headers: {},
            now,
          })),
        ),
      database.handle(),
    );
    const started = Date.now();
    const results = await Promise.all(['w1', 'w2', 'w3'].map(worker));
    const elapsed = Date.now() - started;
    expect(results.map((result) => result.code)).toEqual([0, 0, 0]);
    const sentBy = results.map((result) => (JSON.parse(result.output) as { sent: number }).sent);
    // Every worker took part, and every mail arrived.
    expect(sentBy.every((sent) => sent > 0)).toBe(true);
    expect(sentBy.reduce((a, b) => a + b, 0)).toBe(MAILS);
    expect(arrivals.length).toBeGreaterThanOrEqual(MAILS);
    const busiest = busiestWindow(arrivals, 1000);
    const spanMs = Math.max(...arrivals) - Math.min(...arrivals);
    console.log(
      `rate limit ${PER_SECOND}/s, 3 workers: ${arrivals.length} mails in ${spanMs} ms at the server (${elapsed} ms with start-up); busiest second ${busiest}; per worker ${sentBy.join('/')}`,
    );
    expect(busiest).toBeLessThanOrEqual(PER_SECOND);
    // The limit is used, not just respected: 300 mails need at least 5 s at 50/s.
    expect(spanMs).toBeGreaterThanOrEqual(((MAILS - PER_SECOND) / PER_SECOND) * 1000 - 50);
    const slots = await database.get<{ n: number }>(
      'SELECT count(*) AS n FROM send_slots WHERE in_flight = 1',
    );
    expect(Number(slots?.n)).toBe(0);
  }, 120_000);
});
