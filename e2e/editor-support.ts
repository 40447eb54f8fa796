import { expect, type Locator, type Page } from '@playwright/test';
import { dbOne } from './helpers';

/** Shared by the editor-*.spec.ts files. */
export function node(page: Page, id: string): Locator {
  return page.locator(`.react-flow__node[data-id="${id}"]`);
}

export async function journeyIdByName(name: string): Promise<number> {
  return (await dbOne<{ id: number }>('select id from journeys where name = ?', name)).id;
}

/** A fresh draft copy of a demo journey, so a test owns its status and versions. */
export async function copyOfJourney(page: Page, name: string): Promise<number> {
  const id = await journeyIdByName(name);
  const origin = new URL(page.url()).origin;
  const response = await page.request.post(`/api/journeys/${id}/duplicate`, { headers: { origin } });
  expect(response.status()).toBe(201);
  return ((await response.json()) as { journey: { id: number } }).journey.id;
}

export async function createJourney(page: Page, name: string): Promise<number> {
  await page.goto('/journeys');
  await page.getByLabel('New journey name').fill(name);
  await page.getByRole('button', { name: 'Create journey' }).click();
  await expect(page).toHaveURL(/\/journeys\/\d+$/);
  await expect(page.getByTestId('journey-canvas')).toBeVisible();
  return Number(new URL(page.url()).pathname.split('/').pop());
}

export async function waitSaved(page: Page) {
  await expect(page.getByTestId('save-state')).toHaveText('All changes saved', { timeout: 15_000 });
}

export async function publishedVersions(journeyId: number): Promise<number> {
  const row = await dbOne<{ n: number | string }>(
    'select count(*) as n from journey_versions where journey_id = ? and is_draft = 0',
    journeyId,
  );
  return Number(row.n);
}
