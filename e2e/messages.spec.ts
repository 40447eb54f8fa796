import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { createKey } from './api-support';
import { DEMO_USERS, dbOne, loginAs, waitForMail } from './helpers';

test.use({ viewport: { width: 1600, height: 1000 } });
const bearer = (key: string) => ({ Authorization: `Bearer ${key}` });

/** A zone where it is now mid-day (no quiet hours in this journey, but dates read naturally). */
const stamp = Date.now();
const EVENT = `messages-e2e-${stamp}`;

type Customer = { email: string; name: string; locale: 'en' | 'de' };
const greta: Customer = { email: `greta-${stamp}@example.com`, name: `Greta Gruber${stamp}`, locale: 'de' };
const ella: Customer = { email: `ella-${stamp}@example.com`, name: `Ella English${stamp}`, locale: 'en' };
const nameless: Customer = { email: `nameless-${stamp}@example.com`, name: '', locale: 'en' };

async function createCustomer(page: Page, key: string, customer: Customer): Promise<number> {
  const created = await page.request.post('/api/v1/customers', {
    headers: bearer(key),
    data: { email: customer.email, name: customer.name || undefined, locale: customer.locale },
  });
  expect(created.status(), await created.text()).toBeLessThan(300);
  const { customer: row } = (await created.json()) as { customer: { id: number } };
  const granted = await page.request.post(`/api/v1/customers/${row.id}/consents`, {
    headers: bearer(key),
    data: { purpose: 'newsletter', action: 'grant', evidence: { form: 'messages e2e' } },
  });
  expect(granted.status()).toBe(201);
  return row.id;
}

/** event entry → newsletter consent gate → the send step under test → exit. */
function graph(eventName: string) {
  const at = (row: number) => ({ x: 0, y: row * 140 });
  return {
    nodes: [
      {
        id: 'entry',
        type: 'entry',
        title: 'Signed up',
        position: at(0),
        config: { mode: 'event', eventName, reentry: { policy: 'never' }, goals: [] },
      },
      {
        id: 'gate',
        type: 'consent-gate',
        title: 'Consent?',
        position: at(1),
        config: { purpose: 'newsletter', timeoutHours: 0 },
      },
      {
        id: 'send',
        type: 'send-message',
        title: 'News',
        position: at(2),
        config: {
          purpose: 'newsletter',
          channel: 'email',
          content: { fallbackLanguage: 'en', variants: { en: { subject: '', mode: 'simple', blocks: [] } } },
        },
      },
      { id: 'exit', type: 'exit', title: 'Done', position: at(3), config: {} },
    ],
    edges: [
      { id: 'e1', source: 'entry', sourceHandle: 'next', target: 'gate' },
      { id: 'e2', source: 'gate', sourceHandle: 'granted', target: 'send' },
      { id: 'e3', source: 'gate', sourceHandle: 'not-granted', target: 'exit' },
      { id: 'e4', source: 'send', sourceHandle: 'sent', target: 'exit' },
    ],
  };
}

test('a marketer designs a message, previews it as German and English customers, sends a test and publishes', async ({
  page,
}) => {
  test.setTimeout(360_000);
  const key = createKey(`messages e2e ${stamp}`, 'read,write');
  await loginAs(page, 'marketer');
  for (const customer of [greta, ella, nameless]) await createCustomer(page, key, customer);

  // A journey whose send step still has an empty message.
  await page.goto('/journeys');
  await page.getByLabel('New journey name').fill(`Messages ${stamp}`);
  await page.getByRole('button', { name: 'Create journey' }).click();
  await expect(page).toHaveURL(/\/journeys\/\d+$/);
  const journeyId = Number(new URL(page.url()).pathname.split('/').pop());
  const draft = await dbOne<{ revision: number }>(
    'select revision from journey_versions where journey_id = ? and is_draft = 1',
    journeyId,
  );
  const put = await page.request.put(`/api/journeys/${journeyId}/draft`, {
    data: { revision: draft.revision, graph: graph(EVENT) },
  });
  expect(put.status(), await put.text()).toBe(200);
  await page.reload();

  // Simple mode: subject, heading, paragraph (first without a default), button.
  await page.locator('.react-flow__node[data-id="send"]').click();
  const editor = page.getByTestId('inspector').getByTestId('message-editor');
  await editor.getByLabel('Subject').fill('News for {{ firstName | default: "you" }}');
  await editor.getByRole('button', { name: '+ Heading' }).click();
  await editor.getByLabel('Heading 1 text').fill('Fresh this week');
  await editor.getByRole('button', { name: '+ Paragraph' }).click();
  await editor.getByLabel('Paragraph 2 text').fill('Hello {{ firstName }}, avocados are in.');
  await editor.getByRole('button', { name: '+ Button' }).click();
  await editor.getByLabel('Button 3 label').fill('See offers');
  await editor.getByLabel('Button 3 link').fill('https://shop.example/offers');

  // Publishing is refused: the data says some customers have no first name.
  page.on('dialog', (dialog) => void dialog.accept());
  await expect(page.getByTestId('save-state')).toHaveText('All changes saved', { timeout: 15_000 });
  await page.getByTestId('publish').click();
  await expect(page.getByTestId('publish-result')).toContainText('Not published');
  await expect(
    page
      .getByTestId('validation-errors')
      .locator('[data-issue-node="send"]', { hasText: /\d+ of \d+ customers have no firstName/ }),
  ).toHaveCount(1);

  await editor
    .getByLabel('Paragraph 2 text')
    .fill('Hello {{ firstName | default: "there" }}, avocados are in.');
  // The German variant starts as a copy of the English one.
  await editor.getByRole('tab', { name: /German/ }).click();
  await editor.getByRole('button', { name: 'Add German variant' }).click();
  await editor.getByLabel('Subject').fill('Neues für {{ firstName | default: "Sie" }}');
  await editor.getByLabel('Heading 1 text').fill('Frisch diese Woche');
  await editor
    .getByLabel('Paragraph 2 text')
    .fill('Hallo {{ firstName | default: "zusammen" }}, die Avocados sind da.');
  await editor.getByLabel('Button 3 label').fill('Zu den Angeboten');

  // Preview as a German customer, then as an English one, then as an empty profile.
  await editor.getByRole('button', { name: 'Preview and send test' }).click();
  const dialog = page.getByTestId('message-preview-dialog');
  const html = dialog.frameLocator('[data-testid="preview-html"]');
  await dialog.getByLabel('Find a customer').fill(greta.name);
  await dialog.getByRole('button', { name: new RegExp(greta.email) }).click();
  await expect(dialog.getByTestId('preview-subject')).toHaveText(`Neues für Greta`);
  await expect(html.getByText('Hallo Greta, die Avocados sind da.')).toBeVisible();
  await expect(html.getByText(/Absender: Tarmo Village Shop/)).toBeVisible();
  await expect(dialog.getByTestId('preview-text')).toContainText(
    'Zu den Angeboten: https://shop.example/offers',
  );
  await dialog.getByLabel('Find a customer').fill(ella.name);
  await dialog.getByRole('button', { name: new RegExp(ella.email) }).click();
  await expect(dialog.getByTestId('preview-subject')).toHaveText('News for Ella');
  await expect(html.getByText('Hello Ella, avocados are in.')).toBeVisible();
  await dialog.getByLabel('Mobile').check();
  await expect(dialog.getByTestId('preview-html')).toHaveCSS('width', '375px');
  await page.screenshot({ path: test.info().outputPath('messages-preview.png') });
  await dialog.getByRole('button', { name: 'Empty profile, English' }).click();
  await expect(dialog.getByTestId('preview-subject')).toHaveText('News for you');
  await expect(html.getByText('Hello there, avocados are in.')).toBeVisible();
  // The dialog's own UI; the mail inside the script-less sandboxed frame is not our page.
  const axe = await new AxeBuilder({ page })
    .include('[data-testid="message-preview-dialog"]')
    .exclude('[data-testid="preview-html"]')
    .analyze();
  expect(axe.violations.map((violation) => violation.id)).toEqual([]);

  // A test to the marketer's own address over real SMTP, marked as a test, with the footer.
  await dialog.getByRole('button', { name: 'Send test' }).click();
  await expect(dialog.getByTestId('test-send-status')).toContainText(`Test sent to ${DEMO_USERS.marketer}`);
  const testMail = await waitForMail(DEMO_USERS.marketer, (m) => m.subject === '[TEST] News for you', 30_000);
  expect(testMail.html).toContain('Hello there, avocados are in.');
  expect(testMail.html).toContain('@media only screen');
  expect(testMail.html).toContain('data-tarmo-footer');
  expect(testMail.text).toContain('Hello there, avocados are in.');
  expect(testMail.text).toContain('TEST MESSAGE');
  expect(testMail.text).toMatch(/You receive this because you agreed to “Newsletter”/);
  expect(testMail.text).toMatch(/Unsubscribe: http\S+\/unsubscribe\/test-message/);
  expect(testMail.text).toContain('Sent by Tarmo Village Shop');
  await dialog.getByRole('button', { name: 'Close' }).click();

  // Publish (the warnings are confirmed), then a customer without a name gets the default.
  await expect(page.getByTestId('save-state')).toHaveText('All changes saved', { timeout: 15_000 });
  await page.getByTestId('publish').click();
  await expect(page.getByTestId('publish-result')).toContainText('Published version 1');
  for (const customer of [nameless, greta]) {
    const event = await page.request.post('/api/v1/events', {
      headers: bearer(key),
      data: { email: customer.email, name: EVENT, properties: {} },
    });
    expect(event.status(), await event.text()).toBeLessThan(300);
  }
  const plain = await waitForMail(nameless.email, (m) => m.subject === 'News for you', 30_000);
  expect(plain.text).toContain('Hello there, avocados are in.');
  expect(plain.headers['content-language']).toBe('en');
  const german = await waitForMail(greta.email, (m) => m.subject === 'Neues für Greta', 30_000);
  expect(german.text).toContain('Hallo Greta, die Avocados sind da.');
  expect(german.text).toMatch(/Sie erhalten diese E-Mail, weil Sie „Newsletter“ zugestimmt haben/);
  expect(german.text).toMatch(/Abmelden: http\S+\/unsubscribe\/[A-Za-z0-9_-]{43}/);
});

async function expectNoSeriousAxe(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(serious, page.url()).toEqual([]);
}

test('a marketer builds a template in Settings, uses it in a send step and previews it as a German customer', async ({
  page,
}) => {
  test.setTimeout(300_000);
  const key = createKey(`templates e2e ${stamp}`, 'read,write');
  await loginAs(page, 'marketer');
  const hilde: Customer = { email: `hilde-${stamp}@example.com`, name: `Hilde${stamp}`, locale: 'de' };
  await createCustomer(page, key, hilde);

  // Settings → Message layout and Message templates.
  await page.goto('/settings/messages');
  await expect(page.getByLabel('Brand colour')).toHaveValue(/^#[0-9a-fA-F]{6}$/);
  await expectNoSeriousAxe(page);
  await page.goto('/settings/templates');
  await expectNoSeriousAxe(page);
  await page.getByTestId('new-template').click();
  await page.getByLabel('Name', { exact: true }).fill(`Offers ${stamp}`);
  const editor = page.getByTestId('message-editor');
  await editor.getByLabel('Subject').fill('Offers for {{ firstName | default: "you" }}');
  await editor.getByLabel('Paragraph 1 text').fill('Your {{ purpose.name }} are here.');
  await editor.getByRole('tab', { name: /German/ }).click();
  await editor.getByRole('button', { name: 'Add German variant' }).click();
  await editor.getByLabel('Subject').fill('Angebote für {{ firstName | default: "Sie" }}');
  await editor.getByLabel('Paragraph 1 text').fill('Ihre {{ purpose.name }} sind da.');
  await page.getByRole('button', { name: 'Create template' }).click();
  await expect(page.getByTestId('template-created')).toBeVisible();
  const templateId = Number(new URL(page.url()).pathname.split('/').pop());
  await expect(page.getByTestId('template-version')).toContainText('Version 1');
  await expectNoSeriousAxe(page);

  // A send step that uses the template, chosen in the inspector.
  await page.goto('/journeys');
  await page.getByLabel('New journey name').fill(`Templates ${stamp}`);
  await page.getByRole('button', { name: 'Create journey' }).click();
  await expect(page).toHaveURL(/\/journeys\/\d+$/);
  const journeyId = Number(new URL(page.url()).pathname.split('/').pop());
  const draft = await dbOne<{ revision: number }>(
    'select revision from journey_versions where journey_id = ? and is_draft = 1',
    journeyId,
  );
  const withOffers = graph(`templates-e2e-${stamp}`);
  withOffers.nodes[2]!.config = { purpose: 'personalised-offers', channel: 'email' } as never;
  const put = await page.request.put(`/api/journeys/${journeyId}/draft`, {
    data: { revision: draft.revision, graph: withOffers },
  });
  expect(put.status(), await put.text()).toBe(200);
  await page.reload();
  await page.locator('.react-flow__node[data-id="send"]').click();
  const picker = page.getByTestId('inspector').getByTestId('template-picker');
  await picker.getByLabel('Message').selectOption({ label: `Template: Offers ${stamp}` });
  await expect(page.getByTestId('inspector').getByTestId('message-editor')).toHaveCount(0);
  await expect(page.getByTestId('save-state')).toHaveText('All changes saved', { timeout: 15_000 });
  const saved = await dbOne<{ graph: string }>(
    'select graph from journey_versions where journey_id = ? and is_draft = 1',
    journeyId,
  );
  const savedGraph = typeof saved.graph === 'string' ? saved.graph : JSON.stringify(saved.graph);
  expect(savedGraph).toMatch(new RegExp(`"template":\\s*\\{"id":\\s*${templateId}\\}`));

  // Preview as the German customer: German variant, German purpose name in body and footer.
  await picker.getByRole('button', { name: 'Preview and send test' }).click();
  const dialog = page.getByTestId('message-preview-dialog');
  const html = dialog.frameLocator('[data-testid="preview-html"]');
  await dialog.getByLabel('Find a customer').fill(hilde.name);
  await dialog.getByRole('button', { name: new RegExp(hilde.email) }).click();
  await expect(dialog.getByTestId('preview-subject')).toHaveText(`Angebote für ${hilde.name}`);
  await expect(html.getByText('Ihre Persönliche Angebote sind da.')).toBeVisible();
  await expect(dialog.getByTestId('preview-text')).toContainText('„Persönliche Angebote“');
  await page.screenshot({ path: test.info().outputPath('messages-template-preview.png') });
});
