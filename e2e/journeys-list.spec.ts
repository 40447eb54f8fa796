import { expect, test, type Page } from '@playwright/test';
import { loginAs } from './helpers';

async function createJourney(page: Page, name: string): Promise<number> {
  await page.goto('/journeys');
  await page.getByLabel('New journey name').fill(name);
  await page.getByRole('button', { name: 'Create journey' }).click();
  await expect(page).toHaveURL(/\/journeys\/\d+$/);
  return Number(new URL(page.url()).pathname.split('/').pop());
}

test('journeys list: search, filter by status, sort, archive and restore', async ({ page }) => {
  const tag = `List ${Date.now()}`;
  await loginAs(page, 'marketer');
  const beta = await createJourney(page, `${tag} beta`);
  const alpha = await createJourney(page, `${tag} alpha`);
  await page.goto('/journeys');
  const rows = page.locator('tbody tr[data-testid^="journey-row-"]');

  await page.getByLabel('Search journeys').fill(tag.toLowerCase());
  await expect(rows).toHaveCount(2);
  // Newest edit first by default; by name on request.
  await expect(rows.first()).toHaveAttribute('data-testid', `journey-row-${alpha}`);
  await page.getByLabel('Sort by').selectOption('name');
  await expect(rows.first()).toHaveAttribute('data-testid', `journey-row-${alpha}`);
  await expect(rows.nth(1)).toHaveAttribute('data-testid', `journey-row-${beta}`);
  await page.getByLabel('Search journeys').fill(`${tag} bet`);
  await expect(rows).toHaveCount(1);
  await expect(page.getByTestId('journey-count')).toContainText('1 of');

  page.once('dialog', (dialog) => void dialog.accept());
  await page.getByRole('button', { name: `Archive ${tag} beta` }).click();
  // Archived journeys leave the default view, and come back with the status filter.
  await expect(rows).toHaveCount(0);
  await expect(page.getByText('No journey matches the search and filter.')).toBeVisible();
  await page.getByLabel('Status').selectOption('archived');
  await expect(rows).toHaveCount(1);
  await expect(page.getByTestId(`journey-row-${beta}`).locator('.badge')).toHaveText('archived');

  await page.getByRole('button', { name: `Restore as draft ${tag} beta` }).click();
  await expect(rows).toHaveCount(0);
  await page.getByLabel('Status').selectOption('draft');
  await expect(page.getByTestId(`journey-row-${beta}`).locator('.badge')).toHaveText('draft');
  await page.screenshot({ path: test.info().outputPath('u2-journeys-list.png'), fullPage: true });
});
