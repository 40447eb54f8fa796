import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { createKey } from './api-support';
import { dbAll, dbOne, loginAs } from './helpers';
import { createJourney, node, waitSaved } from './editor-support';

// en-US so the counts read '1,639' as the test formats them.
test.use({ viewport: { width: 1600, height: 1000 }, locale: 'en-US' });

/**
 * A new journey starts from a starter template (or empty) as a draft, and the entry step tells,
 * before publishing, how many customers match now and how many of them may be contacted.
 */
test('a journey from a template opens in the editor; the entry counts who matches and who may be contacted', async ({
  page,
}) => {
  await loginAs(page, 'marketer');
  await page.getByRole('link', { name: 'Start from a template…' }).click();
  await expect(page).toHaveURL(/\/journeys\/new$/);
  await expect(page.getByRole('heading', { level: 1, name: 'New journey' })).toBeVisible();
  const axe = await new AxeBuilder({ page }).analyze();
  expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);

  const name = `Win back ${Date.now()}`;
  await page.getByLabel('Journey name').fill(name);
  await page.getByRole('radio', { name: /Win-back/ }).check();
  await page.getByLabel('Purpose customers agreed to').selectOption('newsletter');
  await page.screenshot({ path: test.info().outputPath('u16-new-journey.png'), fullPage: true });
  await page.getByRole('button', { name: 'Create journey' }).click();
  await expect(page).toHaveURL(/\/journeys\/\d+$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(name);
  await expect(page.getByTestId('journey-status')).toHaveText('Draft');
  await expect(node(page, 'miss-you')).toContainText('We miss you');
  // A complete journey: no problem is waiting before the marketer did anything.
  await expect(page.getByRole('list', { name: /problems/i })).toHaveCount(0);

  await node(page, 'consented').click();
  const expected = await dbOne<{ n: number | string }>(
    `SELECT COUNT(*) AS n FROM consent_state s JOIN purposes p ON p.id = s.purpose_id
       JOIN customers c ON c.id = s.customer_id
     WHERE p.key = 'newsletter' AND s.theme_key = '' AND s.state = 'granted'
       AND c.status != 'erased' AND c.merged_into_id IS NULL`,
  );
  const audience = page.getByTestId('entry-audience').getByRole('status');
  await expect(audience).toContainText(
    `${new Intl.NumberFormat('en-US').format(Number(expected.n))} customers match now`,
  );
  await expect(audience).toContainText(/; [\d,]+ of them may be contacted for Newsletter\./);
  await page.screenshot({ path: test.info().outputPath('u16-entry-audience.png') });

  // Changing who enters recounts: an event entry without its event is not finished yet.
  await page.getByTestId('inspector').getByLabel('Who enters', { exact: true }).selectOption('event');
  await expect(audience).toHaveText('Finish the entry settings to see who enters.');
});

test('a template needs a purpose customers agreed to; the form says so and creates nothing', async ({
  page,
}) => {
  await loginAs(page, 'marketer');
  await page.goto('/journeys/new');
  const before = await dbOne<{ n: number | string }>('SELECT COUNT(*) AS n FROM journeys');
  await page.getByLabel('Journey name').fill('   ');
  await page.getByRole('button', { name: 'Create journey' }).click();
  await expect(page.locator('#new-journey-error')).toHaveText('Give the journey a name');
  expect(Number((await dbOne<{ n: number | string }>('SELECT COUNT(*) AS n FROM journeys')).n)).toBe(
    Number(before.n),
  );
});

test('an empty journey opens with its empty state, not an error; errors come with steps or at publishing', async ({
  page,
}) => {
  await loginAs(page, 'marketer');
  await createJourney(page, `Blank ${Date.now()}`);
  const empty = page.getByTestId('empty-journey');
  await expect(empty).toBeVisible();
  await expect(empty).toContainText('now: Customers matching everyone');
  const problems = page.getByTestId('validation-errors');
  await expect(problems).toHaveAttribute('data-error-count', '0');
  await expect(problems).toContainText('Nothing to check yet');
  await expect(page.getByTestId('node-entry')).toHaveAttribute('data-validation', 'ok');
  await expect(page.getByTestId('node-issues-entry')).toHaveCount(0);
  await page.screenshot({ path: test.info().outputPath('ux16-empty-journey.png') });

  // "Choose who enters" opens the entry step's settings.
  await empty.getByRole('button', { name: 'Choose who enters' }).click();
  await expect(page.locator('[data-testid="inspector"][data-node-id="entry"]')).toBeVisible();

  // Publishing it says what is missing.
  await page.getByTestId('publish').click();
  await expect(page.getByTestId('publish-result')).toContainText('Not published');
  await expect(problems.locator('[data-issue-node="entry"]')).toHaveCount(1);

  // "Add the first step" offers the step picker after the entry; the journey is then checked.
  await empty.getByRole('button', { name: 'Add the first step' }).click();
  const picker = page.getByTestId('step-picker');
  await expect(picker).toBeVisible();
  await picker.getByRole('searchbox').fill('wait');
  await page.keyboard.press('Enter');
  await expect(page.locator('.react-flow__edge[data-id="entry-next-wait-1"]')).toHaveCount(1);
  await expect(empty).toHaveCount(0);
  await expect(problems.locator('[data-issue-node="wait-1"]')).toHaveCount(1);
  await expect(problems.locator('[data-issue-node="entry"]')).toHaveCount(0);
  await waitSaved(page);
});

test('the customer page names the step a customer is at by its title, not its id', async ({
  page,
  request,
}) => {
  // A customer of our own enters the live demo journey by its event and stops at a titled step
  // (the opt-in waits for a click: state waiting), whatever else the suite has run before.
  const key = createKey('journey-start e2e', 'read,write');
  const bearer = { Authorization: `Bearer ${key}` };
  const created = await request.post('/api/v1/customers', {
    headers: bearer,
    data: { email: `titled-${Date.now()}@example.com`, name: 'Tiina Title' },
  });
  expect(created.status(), await created.text()).toBeLessThan(300);
  const { customer } = (await created.json()) as { customer: { id: number } };
  const event = await request.post('/api/v1/events', {
    headers: bearer,
    data: { customerId: customer.id, name: 'signed-up', properties: {} },
  });
  expect(event.status(), await event.text()).toBeLessThan(300);
  const atTitledStep = async () => {
    const rows = await dbAll<{ customerId: number; nodeId: string; graph: unknown }>(
      `SELECT e.customer_id AS "customerId", e.node_id AS "nodeId", v.graph AS graph
         FROM enrollments e JOIN journey_versions v ON v.id = e.version_id
        WHERE e.customer_id = ? AND e.state = 'waiting'`,
      customer.id,
    );
    return rows
      .map((row) => {
        const graph = (typeof row.graph === 'string' ? JSON.parse(row.graph) : row.graph) as {
          nodes: { id: string; title?: string }[];
        };
        return { ...row, title: graph.nodes.find((n) => n.id === row.nodeId)?.title?.trim() };
      })
      .find((row) => row.title && row.title !== row.nodeId);
  };
  await expect.poll(atTitledStep, { timeout: 30_000 }).toBeDefined();
  const titled = await atTitledStep();
  expect(titled).toBeDefined();
  await loginAs(page, 'marketer', `/customers/${titled!.customerId}`);
  const journeys = page.getByRole('region', { name: 'Journeys' });
  await expect(journeys).toContainText(` at ${titled!.title}, entered`);
  await expect(journeys).not.toContainText(` at ${titled!.nodeId},`);
});
