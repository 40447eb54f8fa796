import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { dbGet, dbOne, loginAs } from './helpers';
import { createKey, runWithAppEnv } from './api-support';

const bearer = (key: string) => ({ Authorization: `Bearer ${key}` });
const RUNNING = `('active', 'waiting', 'failed')`;

/** A fixed-offset zone where it is now mid-day, so the demo journey's quiet hours never hold the mail. */
function daytimeZone(): string {
  let offset = 12 - new Date().getUTCHours();
  if (offset > 14) offset -= 24;
  if (offset < -12) offset += 24;
  return offset === 0 ? 'UTC' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`;
}

async function demoJourneyId(): Promise<number> {
  return (await dbOne<{ id: number }>(`select id from journeys where name = 'Welcome and privacy requests'`))
    .id;
}

type EnrollmentRow = { id: number; state: string; node_id: string; version_id: number };

/** The customer's latest enrollment in the demo journey (other specs' live journeys may take them too). */
async function enrollmentOf(customerId: number): Promise<EnrollmentRow | undefined> {
  return await dbGet<EnrollmentRow>(
    'select id, state, node_id, version_id from enrollments where customer_id = ? and journey_id = ? order by id desc limit 1',
    customerId,
    await demoJourneyId(),
  );
}

/** A real customer enters the live demo journey through the API and the worker parks them at the 3-day wait. */
async function customerWaitingInDemoJourney(request: APIRequestContext, key: string, name: string) {
  const email = `${name.toLowerCase().replace(/\W+/g, '-')}-${Date.now()}@example.com`;
  const created = await request.post('/api/v1/customers', {
    headers: bearer(key),
    data: { email, name, timeZone: daytimeZone() },
  });
  expect(created.status(), await created.text()).toBeLessThan(300);
  const { customer } = (await created.json()) as { customer: { id: number } };
  const granted = await request.post(`/api/v1/customers/${customer.id}/consents`, {
    headers: bearer(key),
    data: { purpose: 'newsletter', action: 'grant', evidence: { form: 'dead-letter e2e' } },
  });
  expect(granted.status()).toBe(201);
  const event = await request.post('/api/v1/events', {
    headers: bearer(key),
    data: { customerId: customer.id, name: 'signed-up', properties: {} },
  });
  expect(event.status(), await event.text()).toBeLessThan(300);
  await expect
    .poll(async () => (await enrollmentOf(customer.id))?.state, { timeout: 30_000 })
    .toBe('waiting');
  const enrollment = (await enrollmentOf(customer.id))!;
  expect(enrollment.node_id).toBe('pause');
  return { customerId: customer.id, enrollment };
}

async function signOut(page: Page) {
  await page.context().clearCookies();
}

test('a dead-lettered enrollment shows its error; a marketer retries it, compliance may not', async ({
  page,
  request,
}) => {
  test.setTimeout(90_000);
  const journeyId = await demoJourneyId();
  const key = createKey('dead-letter e2e', 'read,write');
  const { customerId, enrollment } = await customerWaitingInDemoJourney(request, key, 'Dora Deadletter');
  const error = `SMTP relay refused the message: 554 <${Date.now()}>`;
  expect(
    JSON.parse(runWithAppEnv(['e2e/deadletter-fixtures.ts', 'fail', String(enrollment.id), error])),
  ).toEqual({ ok: true });
  expect((await enrollmentOf(customerId))?.state).toBe('failed');

  // Compliance sees the dead letter and its error, but no Retry; the route refuses it too.
  await loginAs(page, 'compliance');
  await expect(page.getByTestId(`failed-badge-${journeyId}`)).toBeVisible();
  await page.goto(`/journeys/${journeyId}/live`);
  const complianceRow = page.getByTestId(`failed-enrollment-${enrollment.id}`);
  await expect(complianceRow).toContainText(error);
  await expect(complianceRow).toContainText('Dora Deadletter');
  await expect(complianceRow.getByRole('button', { name: /Retry/ })).toHaveCount(0);
  const refused = await page.request.post(`/api/journeys/${journeyId}/failed/${enrollment.id}/retry`, {
    data: {},
  });
  expect(refused.status()).toBe(403);
  expect((await enrollmentOf(customerId))?.state).toBe('failed');

  // The marketer follows the badge on the journey list to the live view and retries.
  await signOut(page);
  await loginAs(page, 'marketer');
  const badge = page.getByTestId(`failed-badge-${journeyId}`);
  await expect(badge).toContainText(/\d+ failed/);
  await badge.click();
  await expect(page).toHaveURL(new RegExp(`/journeys/${journeyId}/live$`));
  const row = page.getByTestId(`failed-enrollment-${enrollment.id}`);
  await expect(row).toContainText(error);
  await expect(row).toContainText('5');
  await expect(row.getByRole('link', { name: 'Dora Deadletter' })).toHaveAttribute(
    'href',
    `/customers/${customerId}`,
  );
  await row.getByRole('button', { name: 'Retry Dora Deadletter' }).click();
  await expect(row).toHaveCount(0);
  await expect(page.getByTestId('failed-enrollments')).toContainText('back in the queue');

  // The worker runs the step again: the customer waits at the pause once more, with a clean slate.
  await expect.poll(async () => (await enrollmentOf(customerId))?.state, { timeout: 20_000 }).toBe('waiting');
  const after = await dbOne<{ attempts: number; last_error: string | null }>(
    'select attempts, last_error from enrollments where id = ?',
    enrollment.id,
  );
  expect(after).toEqual({ attempts: 0, last_error: null });
  await page.reload();
  await expect(page.getByTestId(`failed-enrollment-${enrollment.id}`)).toHaveCount(0);
  // Retrying again finds nothing to retry.
  const twice = await page.request.post(`/api/journeys/${journeyId}/failed/${enrollment.id}/retry`, {
    data: {},
  });
  expect(twice.status()).toBe(409);
});

test('publishing asks about running customers: "leave" keeps them on their version, "move" moves them', async ({
  page,
  request,
}) => {
  test.setTimeout(90_000);
  const journeyId = await demoJourneyId();
  const key = createKey('publish choice e2e', 'read,write');
  const { enrollment } = await customerWaitingInDemoJourney(request, key, 'Pekka Publish');
  const liveVersion = async () =>
    (await dbOne<{ live_version_id: number }>('select live_version_id from journeys where id = ?', journeyId))
      .live_version_id;
  const runningOn = async (versionId: number) =>
    (
      await dbOne<{ n: number }>(
        `select count(*) as n from enrollments where journey_id = ? and version_id = ? and state in ${RUNNING}`,
        journeyId,
        versionId,
      )
    ).n;
  const oldVersion = await liveVersion();
  expect(enrollment.version_id).toBe(oldVersion);
  const runningBefore = await runningOn(oldVersion);
  expect(runningBefore).toBeGreaterThan(0);

  page.on('dialog', (dialog) => void dialog.accept()); // warnings, if the demo journey has any
  await loginAs(page, 'marketer');
  await page.goto(`/journeys/${journeyId}`);
  await expect(page.getByTestId('journey-canvas')).toBeVisible();
  // Each publish needs a change: publishing what is live already makes no version.
  const retitleWelcome = async (title: string) => {
    await page.locator('.react-flow__node[data-id="welcome"]').click();
    await page.getByTestId('inspector').getByLabel('Title', { exact: true }).fill(title);
    await expect(page.getByTestId('save-state')).toHaveText('All changes saved', { timeout: 15_000 });
  };
  await retitleWelcome('Welcome (v2)');
  await page.getByTestId('publish').click();
  const dialog = page.getByTestId('publish-dialog');
  await expect(dialog).toBeVisible();
  const move = dialog.getByLabel('Move running customers to the new version where their step still exists');
  const leave = dialog.getByLabel('Leave running customers on the version they entered');
  await expect(move).toBeChecked();
  await leave.check();
  await dialog.getByTestId('publish-confirm').click();
  await expect(page.getByTestId('publish-result')).toContainText(
    'Running customers stay on the version they entered',
  );

  const leftVersion = await liveVersion();
  expect(leftVersion).not.toBe(oldVersion);
  expect(await versionOf(enrollment.id)).toBe(oldVersion);
  expect(await runningOn(oldVersion)).toBe(runningBefore);
  expect(await runningOn(leftVersion)).toBe(0);

  // The default choice moves them (every demo step still exists in the new version).
  await retitleWelcome('Welcome (v3)');
  await page.getByTestId('publish').click();
  await expect(
    dialog.getByLabel('Move running customers to the new version where their step still exists'),
  ).toBeChecked();
  await dialog.getByTestId('publish-confirm').click();
  await expect(page.getByTestId('publish-result')).toContainText(/Moved \d+ running customers? to it/);
  const movedVersion = await liveVersion();
  expect(movedVersion).not.toBe(leftVersion);
  expect(await runningOn(oldVersion)).toBe(0);
  expect(await versionOf(enrollment.id)).toBe(movedVersion);
});

async function versionOf(enrollmentId: number): Promise<number> {
  return (
    await dbOne<{ version_id: number }>('select version_id from enrollments where id = ?', enrollmentId)
  ).version_id;
}
