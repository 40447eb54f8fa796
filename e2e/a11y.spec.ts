import crypto from 'node:crypto';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { createKey, runWithAppEnv } from './api-support';
import { dbOne, loginAs, waitForMail } from './helpers';

/**
 * Every staff page (as each role that may open it) and every customer page has no axe-core
 * violation of serious or critical impact. The canvas editor, live view and test mode are
 * checked below, with a step, a connection and the step picker open.
 */
async function expectNoSeriousViolations(page: Page, label: string) {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(serious, `${label}: ${page.url()}`).toEqual([]);
}

async function visit(page: Page, path: string, expectedStatus = 200) {
  const response = await page.goto(path);
  expect(response?.status(), path).toBe(expectedStatus);
  // Client components (Mission Control's chart, lists) render after hydration: wait for the network to settle.
  await page.waitForLoadState('networkidle', { timeout: 5_000 }).catch(() => undefined);
  await expectNoSeriousViolations(page, path);
}

const pathFromUrl = (url: string) => new URL(url).pathname;

test.describe('accessibility (axe-core, serious and critical)', () => {
  test('staff pages as a marketer', async ({ page }) => {
    const customer = await dbOne<{ id: number }>('SELECT id FROM customers ORDER BY id LIMIT 1');
    const journey = await dbOne<{ id: number }>('SELECT id FROM journeys ORDER BY id LIMIT 1');
    await loginAs(page, 'marketer');
    for (const path of [
      '/journeys',
      `/journeys/${journey.id}/history`,
      '/customers',
      `/customers/${customer.id}`,
      '/customers/import',
      '/settings',
    ])
      await visit(page, path);
    await visit(page, '/mission-control', 403);
  });

  test('staff pages as a compliance officer', async ({ page }) => {
    test.setTimeout(120_000);
    const customer = await dbOne<{ id: number }>('SELECT id FROM customers ORDER BY id LIMIT 1 OFFSET 8');
    const request = await dbOne<{ id: number }>('SELECT id FROM privacy_requests ORDER BY id LIMIT 1');
    const purpose = await dbOne<{ key: string }>("SELECT key FROM purposes WHERE key = 'newsletter'");
    await loginAs(page, 'compliance', '/mission-control');
    for (const path of [
      '/mission-control',
      '/mission-control?purpose=newsletter&period=7d',
      '/mission-control/records',
      '/privacy-requests',
      `/privacy-requests/${request.id}`,
      `/customers/${customer.id}`,
      '/settings/purposes',
      `/settings/purposes/${purpose.key}`,
      '/journeys',
    ])
      await visit(page, path);
  });

  test('staff pages as an admin', async ({ page }) => {
    test.setTimeout(120_000);
    await loginAs(page, 'admin', '/settings');
    for (const path of [
      '/settings',
      '/settings/users',
      '/settings/api-keys',
      '/settings/webhooks',
      '/settings/delivery',
      '/settings/purposes',
      '/settings/outbox',
      '/settings/data-lifecycle',
      '/settings/api',
    ])
      await visit(page, path);
  });

  test('journey editor (empty, draft, a step and a connection selected), live view, test mode, new journey and audit log', async ({
    page,
  }) => {
    test.setTimeout(180_000);
    await page.setViewportSize({ width: 1600, height: 1000 });
    const draft = await dbOne<{ id: number }>(
      "SELECT id FROM journeys WHERE name = 'Offers follow-up (draft)'",
    );
    const live = await dbOne<{ id: number }>(
      "SELECT id FROM journeys WHERE name = 'Welcome and privacy requests'",
    );
    await loginAs(page, 'marketer');
    const step = (id: string) => page.locator(`.react-flow__node[data-id="${id}"]`);

    await visit(page, '/journeys/new');
    // A new empty journey: its empty state, no problem before there is something to be wrong about.
    await page.goto('/journeys');
    await page.getByLabel('New journey name').fill(`A11y ${Date.now()}`);
    await page.getByRole('button', { name: 'Create journey' }).click();
    await expect(page).toHaveURL(/\/journeys\/\d+$/);
    await expect(page.getByTestId('empty-journey')).toBeVisible();
    await expectNoSeriousViolations(page, 'empty journey');

    await page.goto(`/journeys/${draft.id}`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Offers follow-up (draft)');
    await expect(step('send')).toBeVisible();
    await expectNoSeriousViolations(page, 'editor');
    await step('send').click();
    await expect(page.locator('[data-testid="inspector"][data-node-id="send"]')).toBeVisible();
    await expectNoSeriousViolations(page, 'editor, step selected');
    const connection = page.locator('.react-flow__edge').first();
    await connection.focus();
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('selected-connection')).toBeVisible();
    await expectNoSeriousViolations(page, 'editor, connection selected');
    await page.getByTestId('add-after-send-skipped').click();
    await expect(page.getByTestId('step-picker')).toBeVisible();
    await expectNoSeriousViolations(page, 'editor, step picker');
    await page.keyboard.press('Escape');

    await page.goto(`/journeys/${live.id}/live`);
    await expect(page.getByTestId('node-count-welcome')).toHaveText(/^\d+$/);
    await expectNoSeriousViolations(page, 'live view');
    await step('welcome').click();
    await expect(page.getByTestId('node-customers')).toContainText(/Welcome/);
    await expectNoSeriousViolations(page, 'live view, step selected');

    await page.goto(`/journeys/${live.id}/test`);
    await expect(page.getByTestId('journey-canvas')).toBeVisible();
    await expectNoSeriousViolations(page, 'test mode');
    const picker = page.getByTestId('customer-picker');
    await picker.getByRole('searchbox').fill('a');
    await expect(picker.locator('[data-testid^="pick-customer-"]').first()).toBeVisible();
    await expectNoSeriousViolations(page, 'test mode, customer search');
    await picker.locator('[data-testid^="pick-customer-"]').first().click();
    await page.getByRole('button', { name: 'Run test' }).click();
    await expect(page.getByTestId('test-trace').locator('li').first()).toBeVisible({ timeout: 15_000 });
    await expectNoSeriousViolations(page, 'test mode, after a run');

    // The compliance officer's read-only canvas and the audit log.
    await page.context().clearCookies();
    await loginAs(page, 'compliance', '/mission-control');
    await page.goto(`/journeys/${live.id}`);
    await expect(step('welcome')).toBeVisible();
    await expectNoSeriousViolations(page, 'read-only editor');
    await visit(page, '/audit');
    await visit(page, '/audit?actor=user');
  });

  test('sign-in, not found and not allowed pages', async ({ page }) => {
    await visit(page, '/login');
    await page.screenshot({ path: test.info().outputPath('u2-login.png') });
    // A staff page without a session sends to the sign-in form.
    await visit(page, '/journeys');
    await expect(page).toHaveURL(/\/login\?callbackUrl=%2Fjourneys$/);
    await visit(page, '/no-such-page', 404);
  });

  test('customer pages: opt-in, confirmation, preferences, export, unsubscribe, verify request, invalid link', async ({
    page,
    request,
  }) => {
    test.setTimeout(120_000);
    const noticeVersion = (
      await dbOne<{ v: number }>(
        "SELECT max(n.version) AS v FROM notices n JOIN purposes p ON p.id = n.purpose_id WHERE p.key = 'newsletter'",
      )
    ).v;
    const email = `a11y-${Date.now()}-${crypto.randomBytes(3).toString('hex')}@example.org`;
    expect(
      (
        await request.post('/api/v1/subscribe', { data: { email, purposes: ['newsletter'], noticeVersion } })
      ).status(),
    ).toBe(202);
    const optin = /\/optin\/[A-Za-z0-9_-]{43}/.exec(
      (await waitForMail(email, (m) => /\/optin\//.test(m.text))).text,
    )![0];
    await visit(page, optin);
    await page.screenshot({ path: test.info().outputPath('u2-optin.png'), fullPage: true });
    await page.getByRole('button').first().click();
    await expectNoSeriousViolations(page, 'opt-in confirmed');

    await page.locator('a[href*="/preferences/"]').first().click();
    await expect(page).toHaveURL(/\/preferences\//);
    await expectNoSeriousViolations(page, 'preferences');
    await page.screenshot({ path: test.info().outputPath('u2-preferences.png'), fullPage: true });
    const preferences = pathFromUrl(page.url());
    await page.locator('form:has(input[name="action"][value="export"]) button').click();
    // The form posts and the page loads again: axe must not run on the page that is leaving.
    await expect(page.getByRole('status').filter({ hasText: 'download link' })).toBeVisible();
    await expectNoSeriousViolations(page, 'preferences after export');
    const exportPath = /\/export\/[A-Za-z0-9_-]{43}/.exec(
      (await waitForMail(email, (m) => /\/export\//.test(m.text))).text,
    )![0];
    await visit(page, exportPath);
    await page.goto(preferences);
    await page.locator('form:has(input[name="action"][value="erase"]) button').click();
    await expectNoSeriousViolations(page, 'erasure confirmation');

    const customer = await dbOne<{ id: number }>('SELECT id FROM customers WHERE email = ?', email);
    expect(
      JSON.parse(
        runWithAppEnv([
          'e2e/privacy-fixtures.ts',
          'queue-mail',
          String(customer.id),
          'newsletter',
          'A11y news',
        ]),
      ),
    ).toEqual({ ok: true });
    const unsubscribe = /\/unsubscribe\/[A-Za-z0-9_-]{43}/.exec(
      (await waitForMail(email, (m) => m.subject === 'A11y news')).text,
    )![0];
    await visit(page, unsubscribe);
    await page.getByRole('button').first().click();
    await expectNoSeriousViolations(page, 'unsubscribed');

    const key = createKey(`a11y-${Date.now()}`, 'privacy');
    const asked = await request.post('/api/v1/privacy-requests', {
      headers: { authorization: `Bearer ${key}` },
      data: { email, kind: 'access' },
    });
    expect(asked.status()).toBeLessThan(300);
    const verify = /\/verify-request\/[A-Za-z0-9_-]{43}/.exec(
      (await waitForMail(email, (m) => /\/verify-request\//.test(m.text))).text,
    )![0];
    await visit(page, verify);
    await visit(page, `/optin/${crypto.randomBytes(32).toString('base64url')}`, 404);
    await page.setExtraHTTPHeaders({ 'accept-language': 'de-DE,de;q=0.9' });
    await visit(page, '/privacy');
    await page.screenshot({ path: test.info().outputPath('u2-privacy-de.png'), fullPage: true });
  });
});
