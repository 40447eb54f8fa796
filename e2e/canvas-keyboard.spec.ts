import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { dbOne, loginAs } from './helpers';
import { copyOfJourney, journeyIdByName, node, waitSaved } from './editor-support';

test.use({ viewport: { width: 1600, height: 1000 } });

/** Below this zoom-to-fit never shrinks a small journey (components/canvas/CanvasMap.tsx). */
const READABLE_ZOOM = 0.6;

type Draft = {
  nodes: { id: string; type: string }[];
  edges: { source: string; sourceHandle: string; target: string }[];
};

async function draftOf(journeyId: number): Promise<Draft> {
  const row = await dbOne<{ graph: string }>(
    'select graph from journey_versions where journey_id = ? and is_draft = 1',
    journeyId,
  );
  return JSON.parse(row.graph) as Draft;
}

const edge = (page: Page, id: string) => page.locator(`.react-flow__edge[data-id="${id}"]`);

async function zoom(page: Page): Promise<number> {
  return await page
    .locator('.react-flow__viewport')
    .evaluate((element) => new DOMMatrixReadOnly(getComputedStyle(element).transform).a);
}

async function expectAxeClean(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(serious).toEqual([]);
}

test('“+” and a connection dropped on empty canvas open the step picker and add a connected step', async ({
  page,
}) => {
  await loginAs(page, 'marketer');
  const journeyId = await copyOfJourney(page, 'Offers follow-up (draft)');
  await page.goto(`/journeys/${journeyId}`);
  const announcer = page.getByTestId('canvas-announcer');

  await page.getByTestId('add-after-send-skipped').click();
  const picker = page.getByTestId('step-picker');
  await expect(picker).toBeVisible();
  await picker.getByTestId('pick-exit').click();
  await expect(picker).toHaveCount(0);
  await expect(edge(page, 'send-skipped-exit-1')).toHaveCount(1);
  await expect(announcer).toHaveText('Added Exit step, connected');
  // The new step sits below the step it follows.
  const sendBox = await node(page, 'send').boundingBox();
  const addedBox = await node(page, 'exit-1').boundingBox();
  expect(addedBox!.y).toBeGreaterThan(sendBox!.y + sendBox!.height);

  // A connection dragged from an output and dropped on empty canvas offers the same picker.
  const handle = node(page, 'gate').locator('.react-flow__handle.source[data-handleid="not-granted"]');
  expect(await handle.evaluate((element) => (element as HTMLElement).offsetWidth)).toBeGreaterThanOrEqual(16);
  const from = await handle.boundingBox();
  const canvas = (await page.getByTestId('journey-canvas').boundingBox())!;
  const drop = { x: canvas.x + canvas.width - 160, y: canvas.y + 140 };
  await page.mouse.move(from!.x + from!.width / 2, from!.y + from!.height / 2);
  await page.mouse.down();
  await page.mouse.move(drop.x, drop.y, { steps: 10 });
  await page.mouse.up();
  await expect(picker).toBeVisible();
  await picker.getByRole('searchbox').fill('wait');
  await page.keyboard.press('Enter');
  await expect(edge(page, 'gate-not-granted-wait-1')).toHaveCount(1);

  await waitSaved(page);
  const draft = await draftOf(journeyId);
  expect(draft.edges).toContainEqual({
    id: 'send-skipped-exit-1',
    source: 'send',
    sourceHandle: 'skipped',
    target: 'exit-1',
  });
  expect(draft.edges).toContainEqual({
    id: 'gate-not-granted-wait-1',
    source: 'gate',
    sourceHandle: 'not-granted',
    target: 'wait-1',
  });
});

test('keyboard only: select, add, connect, replace and delete a connection, move and delete a step; axe-clean', async ({
  page,
}) => {
  // Many steps, each waiting for the editor, and an axe run: more than a minute on a busy machine.
  test.setTimeout(150_000);
  await loginAs(page, 'marketer');
  const journeyId = await copyOfJourney(page, 'Offers follow-up (draft)');
  await page.goto(`/journeys/${journeyId}`);
  const announcer = page.getByTestId('canvas-announcer');

  // Select a step with Enter.
  await node(page, 'send').focus();
  await page.keyboard.press('Enter');
  await expect(page.locator('[data-testid="inspector"][data-node-id="send"]')).toBeVisible();
  await expect(announcer).toHaveText(/Selected “Hello”/);

  // Add: "+" on the output, type to find the step, Enter.
  await page.getByTestId('add-after-send-skipped').focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('step-picker')).toBeVisible();
  await page.keyboard.type('wait');
  await page.keyboard.press('Enter');
  await expect(edge(page, 'send-skipped-wait-1')).toHaveCount(1);
  await expect(announcer).toHaveText('Added Wait step, connected');
  // The new step has the focus and is selected: keyboard users continue from it.
  await expect(node(page, 'wait-1')).toBeFocused();
  await expect(page.locator('[data-testid="inspector"][data-node-id="wait-1"]')).toBeVisible();

  // Connect: the "Next steps" panel's choice for the output, with the keyboard.
  const goesTo = page.getByTestId('connections').getByLabel('Goes to');
  await goesTo.focus();
  await goesTo.press('e');
  await expect(goesTo).toHaveValue('exit');
  await expect(edge(page, 'wait-1-next-exit')).toHaveCount(1);
  await expect(announcer).toHaveText('Connected Wait to Exit');
  // Replace: choosing another step (the one above in the list) re-points the output.
  await goesTo.press('ArrowUp');
  await expect(goesTo).toHaveValue('opened');
  await expect(edge(page, 'wait-1-next-opened')).toHaveCount(1);
  await expect(edge(page, 'wait-1-next-exit')).toHaveCount(0);

  // Delete a connection on the canvas: focus it, Enter selects it and says how to delete it.
  await edge(page, 'wait-1-next-opened').focus();
  await page.keyboard.press('Enter');
  const bar = page.getByTestId('selected-connection');
  await expect(bar).toContainText('Connection from “Wait” to “Opened?” selected. Press Delete');
  await expect(announcer).toHaveText(/Selected a connection\. Press Delete/);
  await page.keyboard.press('Delete');
  await expect(edge(page, 'wait-1-next-opened')).toHaveCount(0);
  await expect(announcer).toHaveText('Deleted the connection');
  await expect(bar).toHaveCount(0);

  // Move a step with the arrow keys, then delete it.
  const before = await node(page, 'wait-1').boundingBox();
  await node(page, 'wait-1').focus();
  await page.keyboard.press('Enter');
  await page.keyboard.press('Shift+ArrowRight');
  await page.keyboard.press('Shift+ArrowRight');
  await expect
    .poll(async () => (await node(page, 'wait-1').boundingBox())!.x)
    .toBeGreaterThan(before!.x + 10);
  await expect(page.locator('[id^="react-flow__aria-live"]')).toHaveText('Moved the step right.');
  await expectAxeClean(page);
  await page.keyboard.press('Delete');
  await expect(node(page, 'wait-1')).toHaveCount(0);
  await expect(announcer).toHaveText('Deleted 1 step');

  await waitSaved(page);
  const draft = await draftOf(journeyId);
  expect(draft.nodes.map((n) => n.id)).not.toContain('wait-1');
  expect(draft.edges.filter((e) => e.source === 'send' && e.sourceHandle === 'skipped')).toEqual([]);
});

test('zoom to fit keeps the demo journey readable and clear of the overview map', async ({ page }) => {
  await loginAs(page, 'marketer');
  const journeyId = await journeyIdByName('Welcome and privacy requests');
  await page.goto(`/journeys/${journeyId}`);
  // A small journey (up to 20 steps) is never fitted below the readable zoom.
  expect((await draftOf(journeyId)).nodes.length).toBeLessThanOrEqual(20);
  await expect(page.locator('.react-flow__node').first()).toBeVisible();
  const toggle = page.getByTestId('map-toggle');
  if ((await toggle.getAttribute('aria-pressed')) !== 'true') await toggle.click();
  const map = page.locator('.react-flow__minimap');
  await expect(map).toBeVisible();
  await page.getByRole('button', { name: 'Zoom to fit' }).click();
  await expect.poll(() => zoom(page)).toBeGreaterThanOrEqual(READABLE_ZOOM - 0.001);
  // The map covers no step that is on screen, once the fit (a zoom, then a move to the entry) is done.
  const mapBox = (await map.boundingBox())!;
  const coveredSteps = async () =>
    (
      await page
        .locator('.react-flow__node')
        .evaluateAll((nodes) => nodes.map((n) => n.getBoundingClientRect().toJSON() as DOMRect))
    ).filter(
      (box) =>
        box.x < mapBox.x + mapBox.width &&
        box.x + box.width > mapBox.x &&
        box.y < mapBox.y + mapBox.height &&
        box.y + box.height > mapBox.y,
    ).length;
  await expect.poll(coveredSteps).toBe(0);
  await page.screenshot({ path: test.info().outputPath('canvas-fit.png') });
});

test('auto-layout and the fit button keep a small journey readable, its entry on screen', async ({
  page,
}) => {
  await loginAs(page, 'marketer');
  const journeyId = await copyOfJourney(page, 'Welcome and privacy requests');
  await page.goto(`/journeys/${journeyId}`);
  await expect(node(page, 'entry')).toBeVisible();
  const canvas = (await page.getByTestId('journey-canvas').boundingBox())!;
  const entryOnScreen = async () => {
    const box = (await node(page, 'entry').boundingBox())!;
    return box.y >= canvas.y && box.y + box.height <= canvas.y + canvas.height;
  };
  await page.getByRole('button', { name: 'Auto-layout' }).click();
  await expect.poll(() => zoom(page)).toBeGreaterThanOrEqual(READABLE_ZOOM - 0.001);
  await expect.poll(entryOnScreen).toBe(true);
  await page.screenshot({ path: test.info().outputPath('ux16-auto-layout.png') });
  // The canvas controls' fit button is the same readable fit.
  await page.getByRole('button', { name: 'Zoom Out' }).click();
  await page.getByRole('button', { name: 'Zoom Out' }).click();
  await page.getByRole('button', { name: 'Zoom Out' }).click();
  expect(await zoom(page)).toBeLessThan(READABLE_ZOOM);
  await page.getByRole('button', { name: 'Fit View' }).click();
  await expect.poll(() => zoom(page)).toBeGreaterThanOrEqual(READABLE_ZOOM - 0.001);
  await expect.poll(entryOnScreen).toBe(true);
});

test('zoomed out, steps draw as simple shapes without handles or “+”, and in detail again when zoomed in', async ({
  page,
}) => {
  await loginAs(page, 'marketer');
  const journeyId = await journeyIdByName('Welcome and privacy requests');
  await page.goto(`/journeys/${journeyId}`);
  await expect(page.locator('[data-testid^="add-after-"]').first()).toBeVisible();
  const zoomOut = page.getByRole('button', { name: 'Zoom Out' });
  // Below the detail threshold (components/canvas/detail.tsx, 0.45).
  while ((await zoom(page)) >= 0.45) await zoomOut.click();
  await expect(page.locator('.react-flow__node [data-lod="simple"]').first()).toBeVisible();
  await expect(page.locator('.react-flow__node:not(:has([data-lod="simple"]))')).toHaveCount(0);
  await expect(page.locator('[data-testid^="add-after-"]')).toHaveCount(0);
  await expect(page.locator('.react-flow__handle.connectionindicator')).toHaveCount(0);
  await expect(page.locator('.react-flow__edge path[data-lod="simple"]').first()).toBeAttached();
  await expect(node(page, 'entry')).toContainText(/\S/);
  await page.screenshot({ path: test.info().outputPath('canvas-simple.png') });

  const zoomIn = page.getByRole('button', { name: 'Zoom In' });
  while ((await zoom(page)) < 0.45) await zoomIn.click();
  await expect(page.locator('[data-testid^="add-after-"]').first()).toBeVisible();
  await expect(page.locator('.react-flow__node [data-lod="simple"]')).toHaveCount(0);
});
