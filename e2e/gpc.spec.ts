import crypto from 'node:crypto';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { createKey } from './api-support';
import { dbAll, dbGet, dbOne, e2eEnv, loginAs, waitForMail } from './helpers';

/**
 * Global Privacy Control (issue 20): a browser that sends `Sec-GPC: 1` to the sign-up or a
 * customer page objects to every purpose marked "sale or sharing / targeted advertising" (the
 * demo's Personalised offers) and nothing else; the page says so; Mission Control counts it.
 * The executor's skip with a reason naming GPC is proven in lib/privacy/gpc.test.ts.
 */
const GPC = { 'Sec-GPC': '1' };
const unique = () => `${Date.now()}-${crypto.randomBytes(3).toString('hex')}`;

async function expectNoSeriousViolations(page: Page, label: string) {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(serious, label).toEqual([]);
}

async function customerId(email: string): Promise<number> {
  return (await dbOne<{ id: number }>('SELECT id FROM customers WHERE email = ?', email)).id;
}

async function stateOf(customer: number, purposeKey: string): Promise<string> {
  return (
    (
      await dbGet<{ state: string }>(
        "SELECT s.state FROM consent_state s JOIN purposes p ON p.id = s.purpose_id WHERE s.customer_id = ? AND p.key = ? AND s.theme_key = ''",
        customer,
        purposeKey,
      )
    )?.state ?? 'not-asked'
  );
}

async function ledgerOf(customer: number) {
  return await dbAll<{ id: number; action: string; source: string; key: string }>(
    'SELECT e.id, e.action, e.source, p.key FROM consent_events e JOIN purposes p ON p.id = e.purpose_id WHERE e.customer_id = ? ORDER BY e.id',
    customer,
  );
}

async function gpcBlocks(customer: number) {
  return await dbAll<{ scope: string }>(
    "SELECT scope FROM contact_blocks WHERE customer_id = ? AND reason = 'gpc' AND lifted_at IS NULL",
    customer,
  );
}

async function noticeVersion(purposeKey: string): Promise<number> {
  return (
    await dbOne<{ v: number }>(
      "SELECT max(n.version) AS v FROM notices n JOIN purposes p ON p.id = n.purpose_id WHERE p.key = ? AND n.locale = 'en'",
      purposeKey,
    )
  ).v;
}

test.describe('Global Privacy Control', () => {
  test('staff mark a purpose as honouring GPC; the API exposes honoursGpc', async ({ page, request }) => {
    const key = createKey(`gpc-${unique()}`, 'read');
    const purposes = async () =>
      (
        (await (
          await request.get('/api/v1/purposes', { headers: { authorization: `Bearer ${key}` } })
        ).json()) as { data: { key: string; honoursGpc: boolean }[] }
      ).data;
    const flags = Object.fromEntries((await purposes()).map((p) => [p.key, p.honoursGpc]));
    expect(flags['personalised-offers']).toBe(true);
    expect(flags.newsletter).toBe(false);

    await loginAs(page, 'admin', '/settings/purposes/order-updates');
    const box = page.getByLabel('Sale or sharing / targeted advertising (honours Global Privacy Control)');
    await expect(box).not.toBeChecked();
    await box.check();
    await page.getByRole('button', { name: 'Save purpose' }).click();
    await expect(page.getByText('Saved: honoursGpc changed.')).toBeVisible();
    expect((await purposes()).find((p) => p.key === 'order-updates')?.honoursGpc).toBe(true);
    // And back, so the purposes the rest of this file expects stay as seeded.
    await page.reload();
    await box.uncheck();
    await page.getByRole('button', { name: 'Save purpose' }).click();
    await expect(page.getByText('Saved: honoursGpc changed.')).toBeVisible();
    expect((await purposes()).find((p) => p.key === 'order-updates')?.honoursGpc).toBe(false);

    const openapi = JSON.stringify(await (await request.get('/api/openapi.json')).json());
    expect(openapi).toContain('honoursGpc');
  });

  test('a sign-up with the signal objects to the marked purpose, starts no opt-in for it, and says so', async ({
    playwright,
  }) => {
    const gpc = await playwright.request.newContext({ baseURL: e2eEnv().baseUrl, extraHTTPHeaders: GPC });
    const email = `gpc-signup-${unique()}@example.org`;
    const response = await gpc.post('/api/v1/subscribe', {
      // The marked purpose first: without the signal it would get the one opt-in mail the cooldown allows.
      data: { email, purposes: ['personalised-offers', 'newsletter'], noticeVersion: 1 },
    });
    expect(response.status()).toBe(202);
    const body = (await response.json()) as { status: string; gpc?: { honoured: boolean; message: string } };
    expect(body.status).toBe('accepted');
    expect(body.gpc?.message).toContain(
      'Your browser sent a Global Privacy Control signal. We have recorded your objection to “Personalised offers”',
    );
    await gpc.dispose();

    // The only opt-in mail is the newsletter's.
    const mail = await waitForMail(email, (m) => /\/optin\//.test(m.text));
    expect(mail.text).toContain('Newsletter');
    const customer = await customerId(email);
    expect(await stateOf(customer, 'personalised-offers')).toBe('objected');
    expect(await stateOf(customer, 'newsletter')).toBe('pending');
    expect((await ledgerOf(customer)).map((e) => `${e.action}:${e.key}:${e.source}`)).toEqual([
      'object:personalised-offers:gpc',
      'request:newsletter:form',
    ]);
    expect(await gpcBlocks(customer)).toEqual([{ scope: 'sale-sharing' }]);
  });

  test('the preference page with the signal records the objection for the marked purpose only, and says so', async ({
    page,
    browser,
    request,
  }) => {
    // A person who gave consent to Personalised offers themselves, from a browser without GPC.
    const email = `gpc-prefs-${unique()}@example.org`;
    expect(
      (
        await request.post('/api/v1/subscribe', {
          data: {
            email,
            purposes: ['personalised-offers'],
            noticeVersion: await noticeVersion('personalised-offers'),
          },
        })
      ).status(),
    ).toBe(202);
    const mail = await waitForMail(email, (m) => /\/optin\//.test(m.text));
    const token = /\/optin\/([A-Za-z0-9_-]{43})/.exec(mail.text)![1]!;
    await page.goto(`/optin/${token}`);
    await page.getByRole('button', { name: 'Yes, I confirm' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Thank you, confirmed');
    const preferences = new URL(
      (await page.getByRole('link', { name: /preferences/i }).getAttribute('href'))!,
    ).pathname;
    const customer = await customerId(email);
    expect(await stateOf(customer, 'personalised-offers')).toBe('granted');
    const before = (await ledgerOf(customer)).length;

    // The same person's other browser sends Global Privacy Control.
    const context = await browser.newContext({ extraHTTPHeaders: GPC });
    const gpcPage = await context.newPage();
    expect((await gpcPage.goto(preferences))?.status()).toBe(200);
    await expect(gpcPage.getByTestId('gpc-notice')).toHaveText(
      /^Your browser sent a Global Privacy Control signal\. We have recorded your objection to “Personalised offers”/,
    );
    await expect(gpcPage.locator('input[name=purpose][value="personalised-offers"]')).not.toBeChecked();
    await expect(gpcPage.getByTestId('consent-history')).toContainText('Global Privacy Control');
    await expectNoSeriousViolations(gpcPage, 'preferences page with the GPC notice');

    const added = (await ledgerOf(customer)).slice(before);
    expect(added.map((e) => `${e.action}:${e.key}:${e.source}`)).toEqual(['object:personalised-offers:gpc']);
    expect(await stateOf(customer, 'personalised-offers')).toBe('objected');
    expect(await stateOf(customer, 'newsletter')).toBe('not-asked');
    expect(await gpcBlocks(customer)).toEqual([{ scope: 'sale-sharing' }]);

    // Ticking the box again in the same browser does not grant it; reloading adds nothing.
    await gpcPage.locator('input[name=purpose][value="personalised-offers"]').check();
    await gpcPage.locator('form:has(input[name=action][value=save]) button[type=submit]').click();
    await expect(gpcPage.getByRole('status')).toBeVisible();
    await expect(gpcPage.getByTestId('gpc-notice')).toBeVisible();
    expect(await stateOf(customer, 'personalised-offers')).toBe('objected');
    expect((await ledgerOf(customer)).length).toBe(before + 1);
    await context.close();

    // Without the signal the page shows no notice and records nothing.
    await page.goto(preferences);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await expect(page.getByTestId('gpc-notice')).toHaveCount(0);
    expect((await ledgerOf(customer)).length).toBe(before + 1);
  });

  test('Mission Control counts the people whose browser sent the signal', async ({ page }) => {
    const people = (
      await dbOne<{ n: number }>(
        "SELECT count(*) AS n FROM contact_blocks WHERE reason = 'gpc' AND scope = 'sale-sharing' AND lifted_at IS NULL",
      )
    ).n;
    expect(Number(people)).toBeGreaterThanOrEqual(2);
    await loginAs(page, 'compliance', '/mission-control');
    await expect(page.getByTestId('gpc-people')).toHaveText(`${Number(people).toLocaleString('en')} people`);
    await expectNoSeriousViolations(page, 'Mission Control with the GPC tile');
  });
});
