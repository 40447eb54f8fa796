import { expect, test, type Locator, type Page } from '@playwright/test';
import { dbOne, loginAs } from './helpers';

test.use({ viewport: { width: 1600, height: 1000 } });

type StoredGraph = {
  nodes: { id: string; type: string; title?: string; config: Record<string, unknown> }[];
  edges: { source: string; sourceHandle: string; target: string }[];
};

async function draftOf(journeyId: number): Promise<{ revision: number; graph: StoredGraph }> {
  const row = await dbOne<{ revision: number; graph: string }>(
    'select revision, graph from journey_versions where journey_id = ? and is_draft = 1',
    journeyId,
  );
  return { revision: row.revision, graph: JSON.parse(row.graph) as StoredGraph };
}

async function journeyIdByName(name: string): Promise<number> {
  return (await dbOne<{ id: number }>('select id from journeys where name = ?', name)).id;
}

async function createJourney(page: Page, name: string): Promise<number> {
  await page.goto('/journeys');
  await page.getByLabel('New journey name').fill(name);
  await page.getByRole('button', { name: 'Create journey' }).click();
  await expect(page).toHaveURL(/\/journeys\/\d+$/);
  await expect(page.getByTestId('journey-canvas')).toBeVisible();
  return Number(new URL(page.url()).pathname.split('/').pop());
}

async function waitSaved(page: Page) {
  await expect(page.getByTestId('save-state')).toHaveText('All changes saved', { timeout: 15_000 });
}

function node(page: Page, id: string): Locator {
  return page.locator(`.react-flow__node[data-id="${id}"]`);
}

async function connect(page: Page, source: string, handle: string, target: string) {
  const from = await node(page, source)
    .locator(`.react-flow__handle.source[data-handleid="${handle}"]`)
    .boundingBox();
  const to = await node(page, target).locator('.react-flow__handle.target').boundingBox();
  if (!from || !to) throw new Error(`handles of ${source} → ${target} not visible`);
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
  await page.mouse.down();
  await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 8 });
  await page.mouse.up();
  await expect(page.locator(`.react-flow__edge[data-id="${source}-${handle}-${target}"]`)).toHaveCount(1);
}

const STEP_TYPES = [
  'entry',
  'send-message',
  'consent-gate',
  'double-opt-in',
  'advertising-block',
  'set-advertising-block',
  'reference',
  'transfer',
  'forget',
  'wait',
  'condition',
  'exit',
] as const;

test('drag every step type onto the canvas, connect, configure, reload and find the same graph', async ({
  page,
}) => {
  await loginAs(page, 'marketer');
  const journeyId = await createJourney(page, `Every step ${Date.now()}`);
  const canvas = page.getByTestId('journey-canvas');
  const inspector = page.getByTestId('inspector');
  // Zoom out so twelve steps fit beside the starting entry step.
  for (let i = 0; i < 3; i++) await page.getByRole('button', { name: 'Zoom Out' }).click();

  for (const [i, type] of STEP_TYPES.entries()) {
    await page.getByTestId(`palette-${type}`).dragTo(canvas, {
      targetPosition: { x: 100 + (i % 4) * 180, y: 60 + Math.floor(i / 4) * 100 },
    });
    const id = `${type}-1`;
    await expect(node(page, id)).toHaveCount(1);
    await expect(node(page, id).locator(`[data-step-type="${type}"]`)).toBeVisible();
    // The inspector opens on the dropped step.
    await expect(inspector).toHaveAttribute('data-node-id', id);
    await inspector.getByLabel('Title', { exact: true }).fill(`My ${type}`);
    if (type === 'send-message') {
      await inspector.getByLabel('Purpose', { exact: true }).selectOption('newsletter');
      await expect(inspector.getByTestId('purpose-legal-basis')).toContainText('consent');
      // A new step starts with a designed message (components/messages; previewed in messages.spec).
      await inspector.getByLabel('Subject', { exact: true }).fill('Hello {{firstName}}');
      await inspector.getByLabel('Paragraph 1 text').fill('<b>Fresh</b> avocados for {{firstName}}');
    }
    if (type === 'consent-gate') {
      await inspector.getByLabel('Purpose', { exact: true }).selectOption('newsletter');
      await inspector.getByLabel('Wait for consent up to', { exact: true }).fill('48');
    }
    if (type === 'wait') {
      // Waits are typed in minutes, hours or days; the config keeps minutes.
      await inspector.getByLabel('Unit').selectOption('minutes');
      await inspector.getByLabel('Wait for', { exact: true }).fill('90');
    }
    if (type === 'exit') await inspector.getByLabel('Reason', { exact: true }).fill('All done');
    if (type === 'set-advertising-block') {
      await expect(inspector.locator('[data-field="evidence"] .field-error')).toBeVisible();
      await inspector.getByLabel('Evidence', { exact: true }).fill('Asked by phone');
      await expect(inspector.locator('[data-field="evidence"] .field-error')).toHaveCount(0);
    }
  }

  await connect(page, 'entry', 'next', 'wait-1');
  await connect(page, 'wait-1', 'next', 'send-message-1');
  await connect(page, 'send-message-1', 'sent', 'consent-gate-1');
  await connect(page, 'consent-gate-1', 'granted', 'exit-1');
  await connect(page, 'condition-1', 'yes', 'forget-1');
  await connect(page, 'double-opt-in-1', 'confirmed', 'reference-1');
  await connect(page, 'reference-1', 'next', 'transfer-1');
  // A refused connection (nothing may lead into an entry step) is not drawn.
  const edgesBefore = await page.locator('.react-flow__edge').count();
  const from = await node(page, 'advertising-block-1')
    .locator('.react-flow__handle.source[data-handleid="clear"]')
    .boundingBox();
  const into = await node(page, 'entry-1').locator('[data-step-type="entry"]').boundingBox();
  await page.mouse.move(from!.x + 6, from!.y + 6);
  await page.mouse.down();
  await page.mouse.move(into!.x + into!.width / 2, into!.y + 10, { steps: 8 });
  await page.mouse.up();
  await expect(page.locator('.react-flow__edge')).toHaveCount(edgesBefore);

  await waitSaved(page);
  const saved = (await draftOf(journeyId)).graph;
  expect(saved.nodes).toHaveLength(13);
  expect(new Set(saved.nodes.map((n) => n.type))).toEqual(new Set(STEP_TYPES));
  expect(saved.edges).toHaveLength(7);
  const send = saved.nodes.find((n) => n.id === 'send-message-1')!;
  expect(send).toMatchObject({
    title: 'My send-message',
    config: {
      purpose: 'newsletter',
      content: { variants: { en: { subject: 'Hello {{firstName}}', mode: 'simple' } } },
    },
  });
  expect(saved.nodes.find((n) => n.id === 'wait-1')!.config).toEqual({ mode: 'duration', minutes: 90 });

  await page.reload();
  await expect(page.locator('.react-flow__node')).toHaveCount(13);
  await expect(page.locator('.react-flow__edge')).toHaveCount(7);
  for (const type of STEP_TYPES) await expect(node(page, `${type}-1`)).toContainText(`My ${type}`);
  await node(page, 'send-message-1').click();
  await expect(page.getByTestId('inspector').getByLabel('Subject', { exact: true })).toHaveValue(
    'Hello {{firstName}}',
  );
  expect((await draftOf(journeyId)).graph).toEqual(saved);
});

test('undo and redo with buttons and keyboard', async ({ page }) => {
  await loginAs(page, 'marketer');
  await createJourney(page, `Undo ${Date.now()}`);
  const nodes = page.locator('.react-flow__node');
  await expect(nodes).toHaveCount(1);
  await page.getByTestId('palette-wait').click();
  await page.getByTestId('palette-exit').click();
  await expect(nodes).toHaveCount(3);
  await page.getByTestId('undo').click();
  await expect(nodes).toHaveCount(2);
  await expect(node(page, 'exit-1')).toHaveCount(0);
  await page.getByTestId('redo').click();
  await expect(node(page, 'exit-1')).toHaveCount(1);
  // A config edit is undoable too.
  await node(page, 'wait-1').click();
  await page.getByTestId('inspector').getByLabel('Wait for', { exact: true }).fill('5');
  await expect(node(page, 'wait-1')).toContainText('Wait 5 days');
  await page.locator('.react-flow__pane').click({ position: { x: 20, y: 20 } });
  await page.keyboard.press('Control+z');
  await expect(node(page, 'wait-1')).not.toContainText('Wait 5 days');
  await page.keyboard.press('Control+Shift+z');
  await expect(node(page, 'wait-1')).toContainText('Wait 5 days');
  // Back past the config edit and the added exit step: only the wait step remains.
  await page.keyboard.press('Control+z');
  await page.keyboard.press('Control+z');
  await expect(nodes).toHaveCount(2);
  await expect(node(page, 'exit-1')).toHaveCount(0);
  await expect(page.getByTestId('undo')).toBeEnabled();
});

test('publishing an invalid graph is refused with the error on the right step', async ({ page }) => {
  await loginAs(page, 'marketer');
  const journeyId = await createJourney(page, `Invalid ${Date.now()}`);
  await page.getByTestId('palette-send-message').click();
  await expect(node(page, 'send-message-1')).toHaveCount(1);
  await page.getByTestId('publish').click();
  await expect(page.getByTestId('publish-result')).toContainText('Not published');
  const list = page.getByTestId('validation-errors');
  await expect(list.locator('[data-issue-node="send-message-1"]', { hasText: 'no purpose' })).toHaveCount(1);
  await expect(node(page, 'send-message-1').locator('[data-validation="error"]')).toBeVisible();
  // Clicking the error selects the step in the inspector.
  await list.locator('[data-issue-node="send-message-1"] button').first().click();
  await expect(page.getByTestId('inspector')).toHaveAttribute('data-node-id', 'send-message-1');
  const versions = await dbOne<{ n: number }>(
    'select count(*) as n from journey_versions where journey_id = ? and is_draft = 0',
    journeyId,
  );
  expect(versions.n).toBe(0);
});

test('publishing a valid draft adds a version to the history', async ({ page }) => {
  await loginAs(page, 'marketer');
  const journeyId = await journeyIdByName('Offers follow-up (draft)');
  await page.goto(`/journeys/${journeyId}`);
  await expect(page.getByTestId('validation-errors')).toContainText('No problems found');
  await page.getByTestId('publish').click();
  await expect(page.getByTestId('publish-result')).toContainText('Published version 1');
  await page.getByRole('link', { name: 'See history' }).click();
  await expect(page).toHaveURL(new RegExp(`/journeys/${journeyId}/history$`));
  const row = page.getByTestId('version-1');
  await expect(row).toContainText('First version');
  await expect(row).toContainText('Maija Marketer');
  await expect(row).toContainText('live');
  const status = await dbOne<{ status: string }>('select status from journeys where id = ?', journeyId);
  expect(status.status).toBe('live');
});

test('two tabs editing the same draft: the stale one gets the conflict message, nothing is overwritten', async ({
  page,
  context,
}) => {
  await loginAs(page, 'marketer');
  const journeyId = await createJourney(page, `Conflict ${Date.now()}`);
  const other = await context.newPage();
  await other.goto(`/journeys/${journeyId}`);
  await expect(other.getByTestId('journey-canvas')).toBeVisible();

  await page.getByTestId('palette-wait').click();
  await waitSaved(page);
  await other.getByTestId('palette-exit').click();
  await expect(other.getByTestId('conflict-message')).toBeVisible({ timeout: 15_000 });
  await expect(other.getByTestId('conflict-message')).toContainText('nothing was overwritten');
  const stored = (await draftOf(journeyId)).graph;
  expect(stored.nodes.map((n) => n.id).sort()).toEqual(['entry', 'wait-1']);
});

test('the draft API refuses a malformed graph naming the step, and a stale revision with 409', async ({
  page,
}) => {
  await loginAs(page, 'marketer');
  const journeyId = await createJourney(page, `Api ${Date.now()}`);
  const { revision, graph } = await draftOf(journeyId);
  const bad = {
    ...graph,
    nodes: [...graph.nodes, { id: 'oops', type: 'teleport', position: { x: 0, y: 0 }, config: {} }],
  };
  const malformed = await page.request.put(`/api/journeys/${journeyId}/draft`, {
    data: { revision, graph: bad },
  });
  expect(malformed.status()).toBe(400);
  expect((await malformed.json()).error.message).toContain('oops');
  const stale = await page.request.put(`/api/journeys/${journeyId}/draft`, {
    data: { revision: revision + 5, graph },
  });
  expect(stale.status()).toBe(409);
  expect((await draftOf(journeyId)).revision).toBe(revision);
});

test('the compliance role sees a read-only canvas and the server refuses its edits', async ({ page }) => {
  await loginAs(page, 'compliance');
  const journeyId = await journeyIdByName('Welcome and privacy requests');
  await page.goto(`/journeys/${journeyId}`);
  await expect(page.getByTestId('journey-canvas')).toBeVisible();
  await expect(page.getByTestId('save-state')).toHaveText('Read only');
  await expect(page.getByTestId('publish')).toHaveCount(0);
  await expect(page.getByTestId('palette-wait')).toHaveCount(0);
  await node(page, 'welcome').click();
  await expect(page.getByTestId('inspector').getByLabel('Subject', { exact: true })).toBeDisabled();
  const { revision, graph } = await draftOf(journeyId);
  const put = await page.request.put(`/api/journeys/${journeyId}/draft`, { data: { revision, graph } });
  expect(put.status()).toBe(403);
  const publish = await page.request.post(`/api/journeys/${journeyId}/publish`, { data: {} });
  expect(publish.status()).toBe(403);
  expect((await draftOf(journeyId)).revision).toBe(revision);
});

test('copy and paste a step, auto-layout, and delete with the keyboard', async ({ page }) => {
  await loginAs(page, 'marketer');
  const journeyId = await createJourney(page, `Copy ${Date.now()}`);
  await page.getByTestId('palette-wait').click();
  await page.getByTestId('inspector').getByLabel('Wait for', { exact: true }).fill('15');
  await node(page, 'wait-1').click();
  await page.keyboard.press('Control+c');
  await page.keyboard.press('Control+v');
  await expect(node(page, 'wait-2')).toContainText('Wait 15 days');
  await page.getByRole('button', { name: 'Auto-layout' }).click();
  await node(page, 'wait-2').click();
  // Delete acts on the selection: wait until the click has selected the copy alone.
  await expect(node(page, 'wait-2')).toHaveClass(/selected/);
  await expect(node(page, 'wait-1')).not.toHaveClass(/selected/);
  await page.keyboard.press('Delete');
  await expect(node(page, 'wait-2')).toHaveCount(0);
  await waitSaved(page);
  expect((await draftOf(journeyId)).graph.nodes.map((n) => n.id).sort()).toEqual(['entry', 'wait-1']);
});

test('live view shows counts per step and test mode explains each decision', async ({ page }) => {
  await loginAs(page, 'marketer');
  const journeyId = await journeyIdByName('Welcome and privacy requests');
  await page.goto(`/journeys/${journeyId}/live`);
  await expect(page.getByTestId('node-count-entry')).toHaveText(/^\d+$/);
  await expect(page.getByTestId('node-count-welcome')).toHaveText(/^\d+$/);
  await node(page, 'welcome').click();
  await expect(page.getByTestId('node-customers')).toContainText(/Welcome/);

  await page.goto(`/journeys/${journeyId}/test`);
  await page.getByRole('button', { name: 'Run test' }).click();
  const trace = page.getByTestId('test-trace');
  await expect(trace.locator('li').first()).toBeVisible({ timeout: 15_000 });
  await expect(trace).toContainText('Signed up');
  // A simulation sends nothing and leaves no enrollment behind.
  const enrollments = await dbOne<{ n: number }>(
    'select count(*) as n from enrollments where journey_id = ? and test_mode = 1',
    journeyId,
  );
  expect(enrollments.n).toBe(0);
});
