import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { createKey } from './api-support';
import { DEMO_USERS, dbAll, dbOne, loginAs, waitForMail } from './helpers';

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
  // The step is marked on the canvas, not only listed.
  await expect(page.getByTestId('node-send')).toHaveAttribute('data-validation', 'error');

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
  await expect(dialog.getByTestId('preview-html')).toHaveCSS('width', '640px');
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
  expect(testMail.html).toContain('TEST MESSAGE');
  expect(testMail.html).toContain('You receive this because you agreed to “Newsletter”');
  expect(testMail.html).toMatch(/href="http[^"]+\/unsubscribe\/test-message"/);
  expect(testMail.html).toMatch(/href="http[^"]+\/preferences\/test-message"/);
  expect(testMail.html).toContain('Sent by Tarmo Village Shop');
  expect(testMail.headers['x-tarmo-test']).toBeTruthy();
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
  expect(german.html).toContain('Hallo Greta, die Avocados sind da.');
  expect(german.html).toContain('Absender: Tarmo Village Shop');

  // Her preference page, from the link in her mail, names purposes and topics in German too.
  const preferences = /http\S+\/preferences\/[A-Za-z0-9_-]{43}/.exec(german.text)?.[0];
  expect(preferences).toBeTruthy();
  await page.goto(new URL(preferences!).pathname);
  await expect(page.getByText('Persönliche Angebote').first()).toBeVisible();
  await expect(page.getByText('Rezepte').first()).toBeVisible();
  await expect(page.getByText('Personalised offers')).toHaveCount(0);
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

  // Settings → Message layout (its footer line below every mail) and the saved test addresses.
  await page.goto('/settings/messages');
  await expect(page.getByLabel('Brand colour')).toHaveValue(/^#[0-9a-fA-F]{6}$/);
  await expectNoSeriousAxe(page);
  const layoutFields = ['Header text', 'Brand colour', 'Logo URL', 'Footer text'] as const;
  const originalLayout = await Promise.all(layoutFields.map((label) => page.getByLabel(label).inputValue()));
  await page.getByLabel('Brand colour').fill('#aa3300');
  await page.getByLabel('Footer text').fill(`Village Shop Ltd, Tampere ${stamp}`);
  await page.getByRole('button', { name: 'Save layout' }).click();
  await expect(page.getByTestId('layout-saved')).toBeVisible();
  const qa = `qa-${stamp}@example.com`;
  await page.getByLabel('Addresses (one per line)').fill(qa);
  await page.getByRole('button', { name: 'Save test addresses' }).click();
  await expect(page.getByTestId('test-addresses-saved')).toContainText('1 test address saved');

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
  await expect(html.getByText(`Village Shop Ltd, Tampere ${stamp}`)).toBeVisible();
  await page.screenshot({ path: test.info().outputPath('messages-template-preview.png') });

  // A test to the saved list too: German, over real SMTP, with the layout's line and the footer.
  await dialog.getByLabel(/Also to the saved test addresses/).check();
  await dialog.getByRole('button', { name: 'Send test' }).click();
  await expect(dialog.getByTestId('test-send-status')).toContainText(qa);
  const qaMail = await waitForMail(qa, (m) => m.subject === `[TEST] Angebote für ${hilde.name}`, 30_000);
  expect(qaMail.html).toContain('Ihre Persönliche Angebote sind da.');
  expect(qaMail.html).toContain(`Village Shop Ltd, Tampere ${stamp}`);
  expect(qaMail.html.toLowerCase()).toContain('#aa3300');
  expect(qaMail.text).toContain('TESTNACHRICHT');
  expect(qaMail.text).toContain('„Persönliche Angebote“');
  await dialog.getByRole('button', { name: 'Close' }).click();

  // MJML code mode: the sandbox stops an endless loop with a clear error in the preview; MJML
  // validation errors are listed there, and such a template is not saved.
  await page.goto('/settings/templates/new');
  await expectNoSeriousAxe(page);
  await page.getByLabel('Name', { exact: true }).fill(`Broken ${stamp}`);
  const codeEditor = page.getByTestId('message-editor');
  await codeEditor.getByLabel('Subject').fill('Loop');
  await codeEditor.getByLabel('Editor').selectOption('mjml');
  await codeEditor
    .getByRole('textbox', { name: 'MJML', exact: true })
    .fill(
      '<mjml><mj-body><mj-section><mj-column><mj-text>{% for i in (1..100000) %}{% for j in (1..100000) %}{% assign k = j %}{% endfor %}{% endfor %}</mj-text></mj-column></mj-section></mj-body></mjml>',
    );
  await codeEditor.getByRole('button', { name: 'Preview and send test' }).click();
  await expect(dialog.getByTestId('preview-problem')).toContainText(
    'took too long or used too much memory and was stopped',
  );
  await dialog.getByRole('button', { name: 'Close' }).click();
  await codeEditor
    .getByRole('textbox', { name: 'MJML', exact: true })
    .fill(
      '<mjml><mj-body><mj-section><mj-column><mj-text>Hi</mj-text><mj-bogus /></mj-column></mj-section></mj-body></mjml>',
    );
  await codeEditor.getByRole('button', { name: 'Preview and send test' }).click();
  await expect(dialog.getByTestId('preview-mjml-errors')).toContainText('mj-bogus');
  await expect(html.getByText('Hi', { exact: true })).toBeVisible();
  await dialog.getByRole('button', { name: 'Close' }).click();
  await page.getByRole('button', { name: 'Create template' }).click();
  await expect(page.getByTestId('template-error')).toContainText('invalid MJML');

  // The layout back as it was, for the specs after this one.
  await page.goto('/settings/messages');
  for (const [index, label] of layoutFields.entries())
    await page.getByLabel(label).fill(originalLayout[index]!);
  await page.getByRole('button', { name: 'Save layout' }).click();
  await expect(page.getByTestId('layout-saved')).toBeVisible();
  await page.getByLabel('Addresses (one per line)').fill('');
  await page.getByRole('button', { name: 'Save test addresses' }).click();
  await expect(page.getByTestId('test-addresses-saved')).toBeVisible();
});

test('links are rewritten only for a purpose whose notice says clicks are recorded; each click is an event with the purpose', async ({
  page,
}) => {
  test.setTimeout(300_000);
  const key = createKey(`clicks e2e ${stamp}`, 'read,write');
  await loginAs(page, 'admin', '/settings/purposes');
  // A purpose of its own, so no other spec's mail changes.
  const purposeKey = `club-${stamp}`;
  await page.getByLabel('Key', { exact: true }).fill(purposeKey);
  await page.getByLabel('Name', { exact: true }).fill(`Club news ${stamp}`);
  await page.getByLabel('Retention (days)').fill('365');
  await page.getByLabel('Legal basis').selectOption('consent');
  await page.getByRole('button', { name: 'Create purpose' }).click();
  await expect(page).toHaveURL(new RegExp(`/settings/purposes/${purposeKey}$`));
  const notice = page.getByRole('form', { name: 'Publish a new notice version' });
  await notice.getByLabel('Notice text (English, required)').fill('Club news once a month.');
  await notice.getByRole('button', { name: 'Publish notice' }).click();
  await expect(notice.getByRole('status')).toHaveText('Notice version 1 published.');

  // A journey whose mail has a button, for customers who agreed.
  const eventName = `clicks-e2e-${stamp}`;
  const withButton = graph(eventName);
  withButton.nodes[1]!.config = { purpose: purposeKey, timeoutHours: 0 } as never;
  const target = `https://club.example/news?issue=${stamp}&from=mail`;
  withButton.nodes[2]!.config = {
    purpose: purposeKey,
    channel: 'email',
    content: {
      fallbackLanguage: 'en',
      variants: {
        en: {
          subject: 'Club news for {{ firstName | default: "you" }}',
          mode: 'simple',
          blocks: [
            { type: 'paragraph', text: 'Hello {{ firstName | default: "there" }}' },
            { type: 'button', label: 'Read on', url: target },
          ],
        },
      },
    },
  } as never;
  const journey = await page.request.post('/api/journeys', { data: { name: `Clicks ${stamp}` } });
  expect(journey.status(), await journey.text()).toBe(201);
  const journeyId = ((await journey.json()) as { journey: { id: number } }).journey.id;
  const draft = await dbOne<{ revision: number }>(
    'select revision from journey_versions where journey_id = ? and is_draft = 1',
    journeyId,
  );
  const put = await page.request.put(`/api/journeys/${journeyId}/draft`, {
    data: { revision: draft.revision, graph: withButton },
  });
  expect(put.status(), await put.text()).toBe(200);
  const published = await page.request.post(`/api/journeys/${journeyId}/publish`, {
    data: { confirmWarnings: true },
  });
  expect(published.status(), await published.text()).toBeLessThan(300);
  const mailTo = async (first: string) => {
    const email = `${first.toLowerCase()}-${stamp}@example.com`;
    const created = await page.request.post('/api/v1/customers', {
      headers: bearer(key),
      data: { email, name: `${first} Reader`, locale: 'en' },
    });
    expect(created.status(), await created.text()).toBeLessThan(300);
    const customerId = ((await created.json()) as { customer: { id: number } }).customer.id;
    const granted = await page.request.post(`/api/v1/customers/${customerId}/consents`, {
      headers: bearer(key),
      data: { purpose: purposeKey, action: 'grant', evidence: { form: 'messages e2e' } },
    });
    expect(granted.status(), await granted.text()).toBe(201);
    const event = await page.request.post('/api/v1/events', {
      headers: bearer(key),
      data: { email, name: eventName, properties: {} },
    });
    expect(event.status(), await event.text()).toBeLessThan(300);
    return {
      customerId,
      mail: await waitForMail(email, (m) => m.subject === `Club news for ${first}`, 30_000),
    };
  };
  const tracked = (html: string) => [...html.matchAll(/href="([^"]*\/c\/[^"]+)"/g)].map((m) => m[1]!);

  // Off by default: the button links straight to the shop, no pixel.
  const before = await mailTo('Olli');
  expect(before.mail.html).toContain(`href="${target.replace('&', '&amp;')}"`);
  expect(tracked(before.mail.html)).toEqual([]);
  expect(before.mail.html).not.toMatch(/<img\b/i);

  // Refused while the notice says nothing about clicks; allowed once a notice version does.
  await page.getByLabel(/Record link clicks/).check();
  await page.getByRole('button', { name: 'Save purpose' }).click();
  await expect(page.getByTestId('error-clickTracking')).toContainText(
    'does not say that link clicks are recorded',
  );
  await notice
    .getByLabel('Notice text (English, required)')
    .fill('Club news once a month. We record which links in our mails you click.');
  await notice.getByRole('button', { name: 'Publish notice' }).click();
  await expect(notice.getByRole('status')).toHaveText('Notice version 2 published.');
  await page.getByLabel(/Record link clicks/).check();
  await page.getByRole('button', { name: 'Save purpose' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved: clickTracking changed.' })).toBeVisible();

  // Now the body's link goes through Tarmo (the legal footer's do not); a click is recorded and
  // redirected to the stored address only.
  const after = await mailTo('Pia');
  const links = tracked(after.mail.html);
  expect(links).toHaveLength(1);
  expect(after.mail.html).not.toContain('club.example');
  expect(after.mail.text).toContain(links[0]!);
  expect(after.mail.text).toMatch(/Unsubscribe: http\S+\/unsubscribe\/[A-Za-z0-9_-]{43}/);
  expect(after.mail.html).not.toMatch(/<img\b/i);
  const click = await page.request.get(new URL(links[0]!).pathname, { maxRedirects: 0 });
  expect(click.status()).toBe(302);
  expect(click.headers()['location']).toBe(target);
  const events = await dbAll<{ properties: unknown }>(
    "select properties from events where name = 'email.clicked' and customer_id = ?",
    after.customerId,
  );
  expect(events).toHaveLength(1);
  const properties = events[0]!.properties;
  expect(typeof properties === 'string' ? (JSON.parse(properties) as unknown) : properties).toMatchObject({
    purpose: purposeKey,
    url: target,
  });
});
