import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { dbGet, loginAs } from './helpers';

test.describe('Settings → Data lifecycle', () => {
  test('admins see every table and file area with its retention, and the worker’s prune runs; axe-clean', async ({
    page,
  }) => {
    // The e2e server runs a worker: it runs every job at its first check.
    await expect
      .poll(
        async () => (await dbGet<{ n: number }>('SELECT count(*) AS n FROM lifecycle_job_runs'))?.n ?? 0,
        {
          timeout: 60_000,
        },
      )
      .toBeGreaterThan(5);
    await loginAs(page, 'admin', '/settings');
    await page.getByRole('link', { name: /Data lifecycle/ }).click();
    await expect(page).toHaveURL(/\/settings\/data-lifecycle$/);
    await expect(page.getByRole('heading', { name: 'Data lifecycle', level: 1 })).toBeVisible();

    const jobs = page.getByTestId('lifecycle-jobs');
    const checkpoint = jobs.locator('tr[data-job="ledger-checkpoint"]');
    await expect(checkpoint).toContainText('Anchor the consent ledger head');
    // Last and next run in the browser's (en-US) format and zone, e.g. "Dec 7, 2026, 10:20 AM".
    for (const cell of [1, 4]) {
      const time = checkpoint.locator('td').nth(cell).locator('time');
      await expect(time).toHaveAttribute('datetime', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      await expect(time).toHaveText(/^[A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d{2}\s[AP]M$/);
    }
    await expect(jobs.locator('tr[data-job="prune-rate-limits"]')).toBeVisible();
    const tables = page.getByTestId('lifecycle-tables');
    for (const table of ['customers', 'idempotency_keys', 'rate_limits', 'outbox', 'consent_evidence'])
      await expect(tables.getByRole('rowheader', { name: table, exact: true })).toBeVisible();
    await expect(page.getByTestId('lifecycle-files')).toContainText('imports/');

    await page.screenshot({ path: test.info().outputPath('h2-data-lifecycle.png'), fullPage: true });
    const axe = await new AxeBuilder({ page }).analyze();
    expect(axe.violations.map((v) => `${v.id}: ${v.nodes.length}`)).toEqual([]);
  });

  test('is for admins only', async ({ page }) => {
    await loginAs(page, 'marketer', '/journeys');
    const response = await page.goto('/settings/data-lifecycle');
    expect(response?.status()).toBeGreaterThanOrEqual(400);
    await expect(page.getByTestId('lifecycle-jobs')).toHaveCount(0);
  });
});
