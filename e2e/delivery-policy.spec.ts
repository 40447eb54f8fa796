import { expect, test, type Page } from '@playwright/test';
import { createKey } from './api-support';
import { dbAll, dbOne, loginAs, mailbox } from './helpers';

test.use({ viewport: { width: 1600, height: 1000 } });
const bearer = (key: string) => ({ Authorization: `Bearer ${key}` });
const stamp = Date.now();
const EVENT = `policy-e2e-${stamp}`;
const email = `policy-${stamp}@example.com`;

/** event entry → newsletter consent gate → two newsletter mails (the second skips when capped) → exit. */
function graph() {
  const at = (row: number) => ({ x: 0, y: row * 140 });
  const send = (id: string, subject: string, extra: Record<string, unknown> = {}) => ({
    id,
    type: 'send-message',
    title: subject,
    position: at(id === 'first' ? 2 : 3),
    config: { purpose: 'newsletter', channel: 'email', subject, body: 'Avocados are in.', ...extra },
  });
  return {
    nodes: [
      {
        id: 'entry',
        type: 'entry',
        title: 'Signed up',
        position: at(0),
        config: { mode: 'event', eventName: EVENT, reentry: { policy: 'never' }, goals: [] },
      },
      {
        id: 'gate',
        type: 'consent-gate',
        position: at(1),
        config: { purpose: 'newsletter', timeoutHours: 0 },
      },
      send('first', 'Fresh this week'),
      send('second', 'Also fresh', { whenCapped: { action: 'skip' } }),
      { id: 'exit', type: 'exit', title: 'Done', position: at(4), config: {} },
    ],
    edges: [
      { id: 'e1', source: 'entry', sourceHandle: 'next', target: 'gate' },
      { id: 'e2', source: 'gate', sourceHandle: 'granted', target: 'first' },
      { id: 'e3', source: 'gate', sourceHandle: 'not-granted', target: 'exit' },
      { id: 'e4', source: 'first', sourceHandle: 'sent', target: 'second' },
      { id: 'e5', source: 'second', sourceHandle: 'sent', target: 'exit' },
    ],
  };
}

async function saveCap(page: Page, max: string, days: string) {
  await page.goto('/settings/delivery');
  const form = page.getByTestId('delivery-policy-form');
  await form.getByLabel('At most (mails)').fill(max);
  await form.getByLabel('Within (days)').fill(days);
  await form.getByRole('button', { name: 'Save delivery policy' }).click();
  await expect(form.getByRole('status')).toHaveText('Saved.');
}

// The cap applies to the whole workspace: whatever happens above, later specs get none.
test.afterAll(async ({ browser }) => {
  const page = await browser.newPage();
  await loginAs(page, 'admin', '/settings/delivery');
  await saveCap(page, '', '');
  await page.close();
});

test('an admin sets a workspace cap; the mail over it is skipped with the reason on the customer’s path and in the step counts; a complaint withdraws the consent and shows in Mission Control', async ({
  page,
}) => {
  test.setTimeout(180_000);
  const key = createKey(`delivery policy e2e ${stamp}`, 'read,write');

  // Settings → Delivery policy: at most 1 marketing mail per customer in 7 days.
  await loginAs(page, 'admin', '/settings/delivery');
  await saveCap(page, '1', '7');
  await page.reload();
  await expect(page.getByLabel('At most (mails)')).toHaveValue('1');
  expect(
    await dbOne<{ cap_max: number; cap_days: number }>(
      "SELECT cap_max, cap_days FROM delivery_policies WHERE channel = 'email'",
    ),
  ).toEqual({ cap_max: 1, cap_days: 7 });

  // A new customer with newsletter consent.
  const created = await page.request.post('/api/v1/customers', {
    headers: bearer(key),
    data: { email, name: `Polly Policy${stamp}`, locale: 'en' },
  });
  expect(created.status(), await created.text()).toBeLessThan(300);
  const customerId = ((await created.json()) as { customer: { id: number } }).customer.id;
  const granted = await page.request.post(`/api/v1/customers/${customerId}/consents`, {
    headers: bearer(key),
    data: { purpose: 'newsletter', action: 'grant', evidence: { form: 'delivery policy e2e' } },
  });
  expect(granted.status()).toBe(201);

  // A journey sending two newsletters in a row, published.
  await page.goto('/journeys');
  await page.getByLabel('New journey name').fill(`Policy ${stamp}`);
  await page.getByRole('button', { name: 'Create journey' }).click();
  await expect(page).toHaveURL(/\/journeys\/\d+$/);
  const journeyId = Number(new URL(page.url()).pathname.split('/').pop());
  const draft = await dbOne<{ revision: number }>(
    'select revision from journey_versions where journey_id = ? and is_draft = 1',
    journeyId,
  );
  const put = await page.request.put(`/api/journeys/${journeyId}/draft`, {
    data: { revision: draft.revision, graph: graph() },
  });
  expect(put.status(), await put.text()).toBe(200);
  const published = await page.request.post(`/api/journeys/${journeyId}/publish`, {
    data: { confirmWarnings: true },
  });
  expect(published.status(), await published.text()).toBe(201);

  // The event starts it; the worker sends the first mail and skips the second under the cap.
  const event = await page.request.post('/api/v1/events', {
    headers: bearer(key),
    data: { customerId, name: EVENT, properties: {} },
  });
  expect(event.status(), await event.text()).toBeLessThan(300);
  // A mail is rendered when it is sent: the skipped one has no subject, the SMTP server got one mail.
  // Mail only: webhook endpoints earlier specs registered get the customer's events as outbox rows too.
  const outboxOf = async () =>
    await dbAll<{ status: string; cancel_reason: string | null }>(
      "SELECT status, cancel_reason FROM outbox WHERE customer_id = ? AND kind = 'email' ORDER BY id",
      customerId,
    );
  await expect
    .poll(async () => (await outboxOf()).map((row) => row.status), { timeout: 60_000 })
    .toEqual(['sent', 'cancelled']);
  const reason = 'skipped: the workspace limit of 1 marketing mails in 7 days is reached (1 sent)';
  expect((await outboxOf())[1]!.cancel_reason).toBe(reason);
  await expect.poll(() => mailbox(email).map((mail) => mail.subject)).toEqual(['Fresh this week']);

  // The live view: the step's counts, and the customer's path with the reason.
  await page.goto(`/journeys/${journeyId}/live`);
  await expect(page.getByTestId('policy-counts-second')).toHaveText('Delivery policy: held 0 · skipped 1', {
    timeout: 30_000,
  });
  await expect(page.getByTestId('policy-counts-first')).toHaveCount(0);
  await page.getByLabel("Show a customer's path").fill(email);
  await page.getByTestId(`pick-customer-${customerId}`).click();
  await expect(page.getByTestId('path-reason-second')).toHaveText(`skipped-send: ${reason}`);

  // A complaint about the newsletter (generic provider shape, with the shared secret shown to admins).
  await page.goto('/settings/delivery');
  await page.getByText('Show the shared secret').click();
  const secret = (await page.getByTestId('deliverability-secret').textContent())!.trim();
  const complaint = await page.request.post('/api/v1/deliverability/generic', {
    headers: { Authorization: `Bearer ${secret}` },
    data: { type: 'complaint', email, detail: 'abuse report' },
  });
  expect(complaint.status(), await complaint.text()).toBe(200);
  expect(await complaint.json()).toMatchObject({
    recorded: 1,
    outcomes: [{ kind: 'complaint', matchedMail: true, blocked: true, consentWithdrawn: true }],
  });

  // The customer's ledger shows the withdrawal with the notification as evidence, and a receipt.
  await page.goto(`/customers/${customerId}`);
  const withdrawal = page.getByRole('row', { name: /withdraw → withdrawn/ });
  await expect(withdrawal).toContainText('system');
  await expect(withdrawal).toContainText('"kind":"complaint"');
  const receipt = await dbOne<{ receipt_id: string }>(
    `SELECT r.receipt_id FROM consent_receipts r JOIN consent_events e ON e.id = r.event_id
      WHERE e.customer_id = ? AND e.action = 'withdraw'`,
    customerId,
  );
  await page.goto(`/receipts/${receipt.receipt_id}`);
  await expect(page.getByTestId('receipt-action')).toHaveText('You withdrew your consent.');
  await expect(page.getByText('by reporting our mail as spam (your mail provider told us)')).toBeVisible();

  // Mission Control: bounce and complaint rates per purpose.
  await page.goto('/mission-control');
  const newsletter = page.getByTestId('deliverability-rates').getByRole('row', { name: /^Newsletter/ });
  await expect(newsletter).toBeVisible();
  const cells = await newsletter.getByRole('cell').allTextContents();
  // Sent, hard bounces, soft bounces, bounce rate, complaints, complaint rate.
  expect(Number(cells[0])).toBeGreaterThanOrEqual(1);
  expect(Number(cells[4])).toBeGreaterThanOrEqual(1);
  expect(cells[5]).toMatch(/^\d+(\.\d)? %$/);
});
