import { expect, test, type Page } from '@playwright/test';
import { dbOne, loginAs, waitForMail } from './helpers';

async function count(page: Page, testId: string): Promise<number> {
  return Number((await page.getByTestId(testId).innerText()).replace(/[^\d]/g, ''));
}

test.describe('Mission Control', () => {
  test('counts move live, without reload, when a customer confirms an opt-in in another browser', async ({
    page,
    browser,
    request,
  }) => {
    await loginAs(page, 'compliance', '/mission-control');
    await expect(page.getByTestId('mission-control')).toBeVisible();
    await expect(page.getByTestId('consent-summary')).toBeVisible();
    await expect(page.getByTestId('ledger-status')).toBeVisible();
    await expect(page.getByTestId('stream-status')).toHaveAttribute('data-status', 'live');
    // Survives only if the page is never reloaded.
    await page.evaluate(
      () => ((window as unknown as { __missionMarker: string }).__missionMarker = 'still-here'),
    );

    const pendingBefore = await count(page, 'count-newsletter-pending');
    const grantedBefore = await count(page, 'count-newsletter-granted');
    const noticeVersion = (
      await dbOne<{ v: number }>(
        "select max(n.version) as v from notices n join purposes p on p.id = n.purpose_id where p.key = 'newsletter'",
      )
    ).v;

    const email = `live-${Date.now()}@example.test`;
    const signUp = await request.post('/api/v1/subscribe', {
      data: { email, purposes: ['newsletter'], noticeVersion },
    });
    expect(signUp.status()).toBe(202);
    await expect(page.getByTestId('count-newsletter-pending')).toHaveText(
      (pendingBefore + 1).toLocaleString('en'),
      { timeout: 2_000 },
    );

    const mail = await waitForMail(email);
    const link = /https?:\/\/[^\s"<>]+\/optin\/[A-Za-z0-9_-]+/.exec(mail.text)?.[0];
    expect(link, 'opt-in link in the mail').toBeTruthy();

    const customer = await browser.newContext();
    const optin = await customer.newPage();
    await optin.goto(link!);
    await optin.getByRole('button', { name: /confirm/i }).click();
    await expect(optin.getByRole('heading').first()).toBeVisible();
    const confirmedAt = Date.now();

    await expect(page.getByTestId('count-newsletter-granted')).toHaveText(
      (grantedBefore + 1).toLocaleString('en'),
      { timeout: 2_000 },
    );
    await expect(page.getByTestId('count-newsletter-pending')).toHaveText(
      pendingBefore.toLocaleString('en'),
      { timeout: 2_000 },
    );
    expect(Date.now() - confirmedAt).toBeLessThan(2_000);
    expect(
      await page.evaluate(() => (window as unknown as { __missionMarker?: string }).__missionMarker),
    ).toBe('still-here');
    // The live feed shows the confirmation, without any address.
    await expect(page.getByRole('region', { name: /Live ledger/ })).toContainText('granted');
    await expect(page.getByRole('region', { name: /Live ledger/ })).not.toContainText(email);
    await customer.close();

    // Every number is a drill-down link: the granted count opens the matching customer list.
    await page.getByTestId('count-newsletter-granted').click();
    await expect(page).toHaveURL(/\/customers\?purpose=newsletter&state=granted/);
    await expect(page.getByRole('link', { name: email })).toBeVisible();
  });

  test('the stream is server-sent events that proxies pass through', async ({ page }) => {
    await loginAs(page, 'compliance', '/mission-control');
    const head = await page.evaluate(async () => {
      const abort = new AbortController();
      const response = await fetch('/api/v1/consent/stream', { signal: abort.signal });
      const reader = response.body!.getReader();
      const first = new TextDecoder().decode((await reader.read()).value);
      abort.abort();
      return {
        status: response.status,
        type: response.headers.get('content-type'),
        cache: response.headers.get('cache-control'),
        buffering: response.headers.get('x-accel-buffering'),
        first,
      };
    });
    expect(head.status).toBe(200);
    expect(head.type).toContain('text/event-stream');
    expect(head.cache).toBe('no-cache, no-transform');
    expect(head.buffering).toBe('no');
    expect(head.first).toContain('retry:');
  });

  test('a marketer gets 403 on the page, the stream and the summary', async ({ page }) => {
    await loginAs(page, 'marketer');
    const response = await page.goto('/mission-control');
    expect(response?.status()).toBe(403);
    for (const path of [
      '/api/v1/consent/stream',
      '/api/v1/consent/summary',
      '/api/mission-control/ledger.csv',
    ]) {
      const api = await page.request.get(path);
      expect(api.status(), path).toBe(403);
      expect(((await api.json()) as { error: { code: string } }).error.code).toBe('forbidden');
    }
  });

  test('exports the ledger with chain hashes and the Art. 30 record', async ({ page }) => {
    await loginAs(page, 'compliance', '/mission-control');
    const ledger = await page.request.get('/api/mission-control/ledger.csv');
    expect(ledger.status()).toBe(200);
    const lines = (await ledger.text()).trim().split('\r\n');
    expect(lines[0]).toContain('prev_hash,hash');
    const rows = lines.slice(1).map((line) => line.split(','));
    for (let i = 1; i < rows.length; i++) expect(rows[i]![12]).toBe(rows[i - 1]![13]);
    await page.goto('/mission-control/records');
    await expect(page.getByRole('heading', { name: /Record of processing activities/ })).toBeVisible();
    await expect(page.getByRole('cell', { name: /Consent — Art\. 6\(1\)\(a\)/ }).first()).toBeVisible();
    // Generated from the journeys: the demo's live journey, and what it reads for the newsletter.
    await expect(page.getByRole('columnheader', { name: 'Personal data read' })).toBeVisible();
    const newsletter = page.getByRole('row').filter({ has: page.getByRole('cell', { name: /^Newsletter/ }) });
    await expect(newsletter).toContainText(/Welcome and privacy requests \((live|paused) v\d+\)/);
    await expect(newsletter).toContainText('consent state (newsletter)');
    await expect(page.getByRole('heading', { name: /Technical and organisational measures/ })).toBeVisible();
    await expect(page.getByText(/hash-chained/)).toBeVisible();
    const csv = await page.request.get('/api/mission-control/records.csv');
    const [header, ...records] = (await csv.text()).trim().split('\r\n');
    expect(header).toContain('journeys,data_categories,recipients');
    expect(records.find((line) => line.startsWith('newsletter,'))).toMatch(/Welcome and privacy requests/);
  });
});
