import { expect, test } from '@playwright/test';
import { dbAll, dbOne, waitForMail } from './helpers';
import { createKey } from './api-support';

const bearer = (key: string) => ({ Authorization: `Bearer ${key}` });

/** A fixed-offset zone where it is now mid-day, so the demo journey's quiet hours (21–08) never hold the mail. */
function daytimeZone(): string {
  const utcHour = new Date().getUTCHours();
  // Etc/GMT-N is UTC+N (POSIX sign); aim for 12:00 local.
  let offset = 12 - utcHour;
  if (offset > 14) offset -= 24;
  if (offset < -12) offset += 24;
  return offset === 0 ? 'UTC' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`;
}

test('an ingested event starts the live demo journey and the worker delivers its mail over SMTP', async ({
  request,
}) => {
  test.setTimeout(60_000);
  const key = createKey('executor e2e', 'read,write');
  const email = `journey-${Date.now()}@example.com`;
  const created = await request.post('/api/v1/customers', {
    headers: bearer(key),
    data: { email, name: 'Jaana Journey', timeZone: daytimeZone() },
  });
  expect(created.status(), await created.text()).toBeLessThan(300);
  const { customer } = (await created.json()) as { customer: { id: number } };
  const granted = await request.post(`/api/v1/customers/${customer.id}/consents`, {
    headers: bearer(key),
    data: { purpose: 'newsletter', action: 'grant', evidence: { form: 'executor e2e' } },
  });
  expect(granted.status()).toBe(201);

  const event = await request.post('/api/v1/events', {
    headers: bearer(key),
    data: { customerId: customer.id, name: 'signed-up', properties: {} },
  });
  expect(event.status(), await event.text()).toBeLessThan(300);

  // The worker (a separate process) runs block check → opt-in (already confirmed) → welcome mail, then dispatches it.
  const mail = await waitForMail(email, (m) => m.subject.startsWith('Welcome'), 30_000);
  expect(mail.subject).toBe('Welcome, Jaana');
  expect(mail.headers['message-id']).toMatch(/^<[0-9a-f]{32}@tarmo>$/);
  // mailparser folds the List-* headers into one "list" entry.
  expect(JSON.parse(mail.headers.list ?? '{}')).toMatchObject({
    'unsubscribe-post': { name: 'List-Unsubscribe=One-Click' },
  });

  const history = await dbAll<{ nodeId: string; outcome: string; reason: string }>(
    `SELECT node_id AS "nodeId", outcome, reason FROM step_events WHERE customer_id = ? ORDER BY enrollment_id, seq`,
    customer.id,
  );
  expect(history.slice(0, 4).map((step) => `${step.nodeId}:${step.outcome}`)).toEqual([
    'entry:next',
    'block-check:clear',
    'opt-in:confirmed',
    'welcome:sent',
  ]);
  expect(history[3].reason).toMatch(/^sent because the customer confirmed Newsletter on \d{1,2} \w+ \d{4}$/);
  // Now waiting three days, durably: a row with a future run_at, not a timer.
  const position = await dbOne<{ node_id: string; state: string; run_at: number }>(
    `SELECT node_id, state, run_at FROM enrollments WHERE customer_id = ?`,
    customer.id,
  );
  expect(position).toMatchObject({ node_id: 'pause', state: 'waiting' });
  expect(position.run_at).toBeGreaterThan(Date.now() + 2 * 24 * 60 * 60 * 1000);
});
