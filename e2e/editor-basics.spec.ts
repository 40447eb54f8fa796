import { expect, test } from '@playwright/test';
import { loginAs } from './helpers';
import { copyOfJourney, createJourney, journeyIdByName, node, publishedVersions } from './editor-support';

test.use({ viewport: { width: 1600, height: 1000 } });

test('messages float over the canvas and can be dismissed; publishing updates the status; nothing to publish makes no version', async ({
  page,
}) => {
  await loginAs(page, 'marketer');
  const journeyId = await copyOfJourney(page, 'Offers follow-up (draft)');
  await page.goto(`/journeys/${journeyId}`);
  const canvas = page.getByTestId('journey-canvas');
  await expect(page.getByTestId('journey-status')).toHaveText('Draft');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(/Copy of Offers follow-up/);
  const before = await canvas.boundingBox();

  await node(page, 'entry').click();
  await page.keyboard.press('Control+c');
  const copied = page.getByTestId('editor-notices').getByText('Copied 1 step');
  await expect(copied).toBeVisible();
  expect(await canvas.boundingBox()).toEqual(before);
  await page.getByRole('button', { name: 'Dismiss message' }).click();
  await expect(copied).toHaveCount(0);

  await page.getByTestId('publish').click();
  await expect(page.getByTestId('publish-result')).toContainText('Published version 1');
  await expect(page.getByTestId('journey-status')).toHaveText('Live');
  expect(await canvas.boundingBox()).toEqual(before);
  await page.screenshot({ path: test.info().outputPath('editor-published.png') });

  await page.getByTestId('publish').click();
  // Customers entered the live version meanwhile: the editor asks what happens to them first.
  const dialog = page.getByTestId('publish-dialog');
  await expect(page.getByTestId('publish-result').getByText('Nothing to publish').or(dialog)).toBeVisible();
  if (await dialog.isVisible()) await dialog.getByTestId('publish-confirm').click();
  await expect(page.getByTestId('publish-result')).toContainText('Nothing to publish');
  expect(await publishedVersions(journeyId)).toBe(1);
});

test('the overview map draws the steps in the live view and test mode', async ({ page }) => {
  await loginAs(page, 'marketer');
  const journeyId = await journeyIdByName('Welcome and privacy requests');
  for (const view of ['live', 'test']) {
    await page.goto(`/journeys/${journeyId}/${view}`);
    await expect(page.getByTestId('journey-canvas')).toBeVisible();
    const toggle = page.getByTestId('map-toggle');
    if ((await toggle.getAttribute('aria-pressed')) !== 'true') await toggle.click();
    // All steps are one path on the map (CanvasMap.tsx), a rectangle each.
    const steps = page.locator('.react-flow__minimap-node');
    await expect(steps).toBeVisible();
    expect(Number(await steps.getAttribute('data-steps'))).toBeGreaterThan(3);
    expect((await steps.getAttribute('d'))!.match(/z/g)!.length).toBe(
      Number(await steps.getAttribute('data-steps')),
    );
  }
});

test('the step settings panel speaks the marketer’s language', async ({ page }) => {
  await loginAs(page, 'marketer');
  await createJourney(page, `Settings ${Date.now()}`);
  const inspector = page.getByTestId('inspector');
  await node(page, 'entry').click();
  await expect(inspector).not.toContainText('Step id');
  const who = inspector.getByLabel('Who enters', { exact: true });
  await expect(who.locator('option')).toHaveText([
    'customers matching a filter',
    'customers who do something (an event)',
  ]);
  // The other mode's field is hidden until that mode is chosen.
  await expect(inspector.getByLabel('Event', { exact: true })).toHaveCount(0);
  await who.selectOption({ label: 'customers who do something (an event)' });
  const event = inspector.getByLabel('Event', { exact: true });
  await expect(event).toBeVisible();
  await event.fill('a-brand-new-event');
  await expect(event).toHaveValue('a-brand-new-event');
  await expect(inspector.getByLabel('May enter again', { exact: true }).locator('option')).toHaveText([
    'never',
    'after a period',
    'every time',
  ]);

  await page.getByTestId('palette-wait').click();
  await expect(inspector.getByLabel('Wait for', { exact: true })).toHaveValue('1');
  await expect(inspector.getByLabel('Unit')).toHaveValue('days');
  await inspector.getByLabel('Wait for', { exact: true }).fill('3');
  await expect(node(page, 'wait-1')).toContainText('Wait 3 days');

  await page.getByTestId('palette-condition').click();
  await inspector.getByRole('button', { name: 'Add condition' }).click();
  // Attribute names seen in the data are offered; any name may still be typed.
  const attribute = inspector.getByLabel('Attribute', { exact: true });
  const offered = await attribute.evaluate((input) =>
    [...((input as HTMLInputElement).list?.options ?? [])].map((option) => option.value),
  );
  expect(offered).toContain('loyaltyTier');
  await expect(inspector.getByLabel('Comparison', { exact: true }).locator('option')).toContainText([
    'equals',
    'is not',
    'is set',
  ]);
  // One choice of condition kind, no read-only copy of it.
  await expect(inspector.getByLabel('Condition', { exact: true })).toHaveCount(1);
  await expect(inspector.getByLabel('Kind', { exact: true })).toHaveCount(0);
  await inspector.getByLabel('Condition', { exact: true }).selectOption({ label: 'Consent for a purpose' });
  await expect(inspector.getByLabel('Consent', { exact: true }).locator('option')).toContainText([
    'never asked',
    'given',
  ]);
  const purposeField = inspector.locator('[data-field="rule.conditions.0.purpose"] .field-error');
  await expect(purposeField).toHaveText('Choose a purpose');
  const problems = page.getByTestId('validation-errors');
  await expect(problems).toContainText('Rule, condition 1, Purpose: Choose a purpose');
  await expect(problems).not.toContainText('conditions[0]');
  // A wrapped problem keeps its bullet at its first line: the button inside is a block.
  const display = await problems
    .locator('li button')
    .first()
    .evaluate((element) => getComputedStyle(element).display);
  expect(display).toBe('block');
  await page.screenshot({ path: test.info().outputPath('editor-settings.png') });
});

test('test mode explains in the third person, with waits in days and a searchable customer picker', async ({
  page,
}) => {
  await loginAs(page, 'marketer');
  const journeyId = await journeyIdByName('Welcome and privacy requests');
  await page.goto(`/journeys/${journeyId}/test`);
  const picker = page.getByTestId('customer-picker');
  await picker.getByRole('searchbox').fill('a');
  await expect(picker.locator('[data-testid^="pick-customer-"]').first()).toBeVisible();
  expect(await picker.locator('[data-testid^="pick-customer-"]').count()).toBeLessThanOrEqual(8);
  await picker.locator('[data-testid^="pick-customer-"]').first().click();
  await expect(picker.getByTestId('picked-customer')).toBeVisible();
  await page.getByLabel('Assume consent is given (blocks and erasure still count)').check();
  await page.getByRole('button', { name: 'Run test' }).click();
  const trace = page.getByTestId('test-trace');
  await expect(trace.locator('li').first()).toBeVisible({ timeout: 15_000 });
  await expect(trace).not.toContainText(/\byou\b/i);
  await expect(trace).not.toContainText(/\d+ min\b/);
  await page.screenshot({ path: test.info().outputPath('test-mode.png') });
});
