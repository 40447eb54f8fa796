import { expect, test, type Page } from '@playwright/test';
import { nodeSize, outputsOf, type JourneyDraft } from '@/lib/journey';
import { largeDraft } from '@/lib/journeys/large-draft';
import { dbOne, loginAs } from './helpers';
import { createJourney, node } from './editor-support';

test.use({ viewport: { width: 1600, height: 1000 } });

const STEPS = 600;

/**
 * The canvas benchmark's steps (lib/journeys/large-draft.ts) one after another, every output to
 * the next step and an exit at the end: every step can be reached, so the journey can be published.
 * It starts on an event of its own: left live in the suite's shared database, a journey entered on
 * "signed-up" took every later spec's new customers too (deadletter.spec found them in it).
 */
function publishableLargeJourney(steps: number): JourneyDraft {
  const drafted = largeDraft(steps, 'newsletter').nodes;
  const last = drafted.length - 1;
  const nodes = drafted.map((step, i) =>
    i === last
      ? { ...step, type: 'exit' as const, config: {} }
      : step.type === 'entry'
        ? { ...step, config: { ...(step.config as object), eventName: 'large-journey-e2e' } }
        : step,
  );
  const edges = nodes.slice(0, last).flatMap((source, i) =>
    outputsOf(source.type, source.config).map((output) => ({
      id: `${source.id}-${output.id}-${nodes[i + 1].id}`,
      source: source.id,
      sourceHandle: output.id,
      target: nodes[i + 1].id,
    })),
  );
  return { nodes, edges };
}

/** From the page's first frame on, the most steps React Flow had in the page at once. */
async function trackMostStepsDrawn(page: Page) {
  await page.addInitScript(() => {
    const steps = document.getElementsByClassName('react-flow__node');
    const track = window as unknown as { mostStepsDrawn: number };
    track.mostStepsDrawn = 0;
    new MutationObserver(() => {
      track.mostStepsDrawn = Math.max(track.mostStepsDrawn, steps.length);
    }).observe(document, { childList: true, subtree: true });
  });
}

const mostStepsDrawn = (page: Page) =>
  page.evaluate(() => (window as unknown as { mostStepsDrawn: number }).mostStepsDrawn);

type Connection = JourneyDraft['edges'][number];

/** How far a connection's ends are from its source handle's bottom and its target handle's top, in pixels. */
async function endsOffHandles(page: Page, edge: Connection): Promise<number> {
  const path = page.getByTestId(`rf__edge-${edge.id}`).locator('path.react-flow__edge-path');
  const ends = await path.evaluate((element) => {
    const line = element as SVGPathElement;
    const matrix = line.getScreenCTM()!;
    const at = (length: number) => {
      const point = line.getPointAtLength(length);
      return new DOMPoint(point.x, point.y).matrixTransform(matrix);
    };
    return { start: at(0).toJSON() as DOMPointInit, end: at(line.getTotalLength()).toJSON() as DOMPointInit };
  });
  const source = await node(page, edge.source)
    .locator(`.react-flow__handle.source[data-handleid="${edge.sourceHandle}"]`)
    .boundingBox();
  const target = await node(page, edge.target).locator('.react-flow__handle.target').boundingBox();
  if (!source || !target) return Infinity;
  return Math.max(
    Math.abs(ends.start.x! - (source.x + source.width / 2)),
    Math.abs(ends.start.y! - (source.y + source.height)),
    Math.abs(ends.end.x! - (target.x + target.width / 2)),
    Math.abs(ends.end.y! - target.y),
  );
}

/**
 * The first row's connections are drawn, at the handles as they are on the page: the handles React
 * Flow measured, not the preset ones, once a step is taller than its preset size.
 */
async function expectFirstConnectionsAtHandles(page: Page, graph: JourneyDraft) {
  for (const edge of graph.edges.filter((edge) => ['n0', 'n1', 'n2'].includes(edge.source)))
    await expect.poll(() => endsOffHandles(page, edge), { message: edge.id }).toBeLessThan(1.5);
}

/** Opened at the entry step, with only the steps in view drawn, ever, and their connections. */
async function expectOpenedAtEntry(page: Page, graph: JourneyDraft) {
  // A page's first load may take longer than the default 10 s on a busy machine (CI, load ~12).
  await expect(node(page, 'n0')).toBeInViewport({ timeout: 30_000 });
  const drawn = await page.locator('.react-flow__node').count();
  expect(drawn).toBeGreaterThan(4);
  expect(drawn).toBeLessThan(STEPS / 10);
  expect(await mostStepsDrawn(page)).toBeLessThan(STEPS / 10);
  await expectFirstConnectionsAtHandles(page, graph);
}

test('a big journey’s live view and test mode open at the entry step and draw only the steps in view', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await loginAs(page, 'marketer');
  const journeyId = await createJourney(page, `Large journey ${Date.now()}`);
  const graph = publishableLargeJourney(STEPS);
  const draft = await dbOne<{ revision: number }>(
    'select revision from journey_versions where journey_id = ? and is_draft = 1',
    journeyId,
  );
  const put = await page.request.put(`/api/journeys/${journeyId}/draft`, {
    data: { revision: draft.revision, graph },
  });
  expect(put.status(), await put.text()).toBe(200);
  const published = await page.request.post(`/api/journeys/${journeyId}/publish`, {
    data: { confirmWarnings: true },
  });
  expect(published.status(), await published.text()).toBe(201);

  // A link to the live view, opened signed out: sign in, then the live view.
  await page.context().clearCookies();
  await trackMostStepsDrawn(page);
  await loginAs(page, 'marketer', `/journeys/${journeyId}/live`);
  await expect(page.getByTestId('node-count-n0')).toHaveText(/^\d+$/, { timeout: 30_000 });
  await expectOpenedAtEntry(page, graph);
  await node(page, 'n1').click();
  await expect(page.getByTestId('node-customers')).toContainText('At “Step 1”');

  await page.goto(`/journeys/${journeyId}/test`);
  await expectOpenedAtEntry(page, graph);
  // A test customer's path is highlighted.
  await page.getByRole('button', { name: 'Run test' }).click();
  await expect(page.getByTestId('test-trace').locator('li').first()).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('rf__edge-n0-next-n1')).toHaveClass(/animated/);
  // Each decision's reason makes its step taller than its preset size: the connections follow.
  await expect(page.getByTestId('path-reason-n1')).toBeVisible();
  const stepOne = await node(page, 'n1').boundingBox();
  const preset = nodeSize(graph.nodes[1].type, graph.nodes[1].config);
  // (by more than the 1.5 px a connection's end may be off its handle)
  expect(stepOne!.height).toBeGreaterThan(preset.height + 3);
  await expectFirstConnectionsAtHandles(page, graph);
});
