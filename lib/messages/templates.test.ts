import { beforeAll, describe, expect, it } from 'vitest';
import { useTempDatabase } from '@/tests/helpers/db';
import { getDb } from '@/db/client';
import { upsertUser } from '@/db/store/users';
import { insertCustomers, insertPurposes } from '@/db/store/workspace';
import { DEMO_PURPOSES } from '@/lib/demo/purposes';
import type { StaffUser } from '@/lib/auth/roles';
import { sampleSimpleJourney, type Issue } from '@/lib/journey';
import { publishDraft } from '@/lib/journeys/publish';
import { createJourney, saveDraft } from '@/lib/journeys/service';
import { buildMarketingMail } from '@/lib/outbox/marketing';
import { loadPublishedVersion } from '@/lib/versions/published';
import type { MessageContent } from './content';
import { previewMessage, sendTestMessage } from './preview';
import { createTemplate, listTemplates, setTemplateArchived, updateTemplate } from './templates';
import { saveTestAddresses, saveWorkspaceLayout, workspaceLayout } from './workspace-settings';

const database = useTempDatabase();
let staff: StaffUser;
let customerId = 0;

const message = (greeting: string): MessageContent => ({
  fallbackLanguage: 'en',
  variants: {
    en: {
      subject: `${greeting} {{ firstName | default: "you" }}`,
      mode: 'simple',
      blocks: [{ type: 'paragraph', text: `${greeting} {{ firstName | default: "there" }}` }],
    },
    de: {
      subject: `DE ${greeting} {{ firstName | default: "Sie" }}`,
      mode: 'simple',
      blocks: [{ type: 'paragraph', text: `DE ${greeting} {{ firstName | default: "zusammen" }}` }],
    },
  },
});

beforeAll(async () => {
  await insertPurposes(DEMO_PURPOSES);
  const { user } = await upsertUser({ email: 'Mia@example.com', role: 'marketer', passwordHash: 'x' });
  staff = { id: user.id, email: 'mia@example.com', name: 'Mia', role: 'marketer' };
  const [row] = await insertCustomers([
    { email: 'aino@example.com', name: 'Aino Virtanen', locale: 'en', attributes: {} },
  ] as never);
  customerId = (row as { id: number }).id;
});

describe('the template library', () => {
  it('creates, edits (as the next version), archives and restores templates, refusing Liquid errors', async () => {
    const created = await createTemplate(staff, {
      name: 'Welcome',
      description: 'First mail',
      content: message('Hi'),
    });
    expect(created).toMatchObject({ ok: true, value: { name: 'Welcome', version: 1, archived: false } });
    const id = created.ok ? created.value.id : 0;
    const broken = await updateTemplate(staff, id, {
      name: 'Welcome',
      description: '',
      content: message('Hi {{ firstName '),
    });
    expect(broken).toMatchObject({ ok: false, error: { code: 'invalid_field', field: 'content' } });
    const edited = await updateTemplate(staff, id, {
      name: 'Welcome!',
      description: '',
      content: message('Hey'),
    });
    expect(edited).toMatchObject({ ok: true, value: { name: 'Welcome!', version: 2 } });
    expect(await setTemplateArchived(staff, id, true)).toMatchObject({ ok: true });
    expect((await listTemplates()).map((t) => t.id)).not.toContain(id);
    expect((await listTemplates({ archived: true })).map((t) => t.id)).toContain(id);
    expect(
      await updateTemplate(staff, id, { name: 'x', description: '', content: message('x') }),
    ).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    expect(await setTemplateArchived(staff, id, false)).toMatchObject({ ok: true });
    expect((await listTemplates()).map((t) => t.id)).toContain(id);
    const audit = await database.all<{ action: string }>(
      "SELECT action FROM audit_log WHERE action LIKE 'message_template.%' ORDER BY id",
    );
    expect(audit.map((row) => row.action)).toEqual([
      'message_template.create',
      'message_template.update',
      'message_template.archive',
      'message_template.restore',
    ]);
  });

  it('is used by a send step; publishing copies the template version, so a later edit changes nothing live', async () => {
    const created = await createTemplate(staff, {
      name: 'Offers',
      description: '',
      content: message('Offer for'),
    });
    if (!created.ok) throw new Error('create failed');
    const templateId = created.value.id;
    const journey = await createJourney(staff, 'Template journey');
    if (!journey.ok) throw new Error('journey failed');
    const journeyId = journey.value.id;
    const graph = sampleSimpleJourney('newsletter');
    for (const node of graph.nodes)
      if (node.type === 'send-message')
        node.config = { purpose: 'newsletter', channel: 'email', template: { id: templateId } } as never;
    expect(await saveDraft(staff, journeyId, { revision: 1, graph })).toMatchObject({ ok: true });
    const published = await publishDraft(staff, journeyId, { confirmWarnings: true });
    if (!published.ok || published.value.kind !== 'published') throw new Error(JSON.stringify(published));
    const versionId = published.value.versionId;

    await updateTemplate(staff, templateId, { name: 'Offers', description: '', content: message('Changed') });
    const version = await loadPublishedVersion(getDb(), versionId);
    const config = version?.nodesById.get('send')?.config as {
      template: { id: number; version: number };
      content: MessageContent;
    };
    expect(config.template).toEqual({ id: templateId, version: 1 });
    const mail = await buildMarketingMail(getDb(), {
      customerId,
      purposeKey: 'newsletter',
      content: config.content,
    });
    expect(mail.ok && mail.subject).toBe('Offer for Aino');

    // Publishing again picks up the edit as a changed step.
    const again = await publishDraft(staff, journeyId, { confirmWarnings: true });
    expect(again.ok && again.value.kind === 'published' && again.value.changeSummary).toMatch(/chang/i);
    const next = await loadPublishedVersion(getDb(), again.ok ? again.value.versionId : 0);
    expect((next?.nodesById.get('send')?.config as { template: unknown }).template).toEqual({
      id: templateId,
      version: 2,
    });

    // An archived template blocks publishing on its step.
    await setTemplateArchived(staff, templateId, true);
    await updateTemplate(staff, templateId, { name: 'x', description: '', content: message('x') });
    const draft = await database.get<{ revision: number }>(
      'SELECT revision FROM journey_versions WHERE journey_id = ? AND is_draft = 1',
      journeyId,
    );
    const moved = structuredClone(graph);
    moved.nodes[0]!.position = { x: 5, y: 5 };
    await saveDraft(staff, journeyId, { revision: draft!.revision, graph: moved });
    const refused = await publishDraft(staff, journeyId, { confirmWarnings: true });
    const errors = refused.ok ? [] : (refused.error.details as { errors: Issue[] }).errors;
    expect(errors).toEqual([
      expect.objectContaining({ code: 'message-template-missing', nodeId: 'send', field: 'template' }),
    ]);
  });
});

const mjmlMessage = (body: string, head = ''): MessageContent => ({
  fallbackLanguage: 'en',
  variants: {
    en: {
      subject: 'S',
      mode: 'mjml',
      mjml: `<mjml><mj-head>${head}</mj-head><mj-body><mj-section><mj-column><mj-text>${body}</mj-text></mj-column></mj-section></mj-body></mjml>`,
    },
    de: {
      subject: 'S',
      mode: 'mjml',
      mjml: '<mjml><mj-body><mj-section><mj-column><mj-text>Hallo</mj-text></mj-column></mj-section></mj-body></mjml>',
    },
  },
});

describe('publish-time checks that only a render finds', () => {
  async function publishWith(content: MessageContent) {
    const journey = await createJourney(staff, `Checks ${Math.random()}`);
    if (!journey.ok) throw new Error('journey failed');
    const graph = sampleSimpleJourney('newsletter');
    for (const node of graph.nodes)
      if (node.type === 'send-message')
        node.config = { purpose: 'newsletter', channel: 'email', content } as never;
    expect(await saveDraft(staff, journey.value.id, { revision: 1, graph })).toMatchObject({ ok: true });
    const refused = await publishDraft(staff, journey.value.id, { confirmWarnings: true });
    return refused.ok ? [] : (refused.error.details as { errors: Issue[] }).errors;
  }

  it('refuses an endless loop on its step, with the sandbox’s clear error', async () => {
    const loop =
      '{% for i in (1..100000) %}{% for j in (1..100000) %}{% assign k = j %}{% endfor %}{% endfor %}';
    const errors = await publishWith(mjmlMessage(loop));
    expect(errors).toEqual([
      expect.objectContaining({ code: 'message-render-failed', nodeId: 'send', field: 'content' }),
    ]);
    expect(errors[0]!.message).toMatch(/English: The template took too long or used too much memory/);
  });

  it('refuses a template that swallows or styles away the legal footer', async () => {
    const swallowed = await publishWith(
      mjmlMessage(
        'Hi</mj-text></mj-column></mj-section><mj-raw><!--</mj-raw><mj-section><mj-column><mj-text>',
      ),
    );
    expect(swallowed).toEqual([
      expect.objectContaining({
        code: 'message-render-failed',
        nodeId: 'send',
        message: expect.stringContaining('hides the legally required footer'),
      }),
    ]);
    const styled = await publishWith(
      mjmlMessage('Hi', '<mj-style>[data-tarmo-footer] { display: none !important }</mj-style>'),
    );
    expect(styled).toEqual([
      expect.objectContaining({
        code: 'message-invalid-mjml',
        nodeId: 'send',
        message: expect.stringContaining('footer cannot be styled, hidden or imitated'),
      }),
    ]);
  });

  it('refuses to save a template that hides the legal footer, before any journey uses it', async () => {
    const swallowed = await createTemplate(staff, {
      name: 'Swallows the footer',
      description: '',
      content: mjmlMessage(
        'Hi</mj-text></mj-column></mj-section><mj-raw><!--</mj-raw><mj-section><mj-column><mj-text>',
      ),
    });
    expect(swallowed).toMatchObject({
      ok: false,
      error: {
        code: 'invalid_field',
        field: 'content',
        message: expect.stringContaining('hides the legally required footer'),
      },
    });
    expect((await listTemplates()).map((t) => t.name)).not.toContain('Swallows the footer');
  });

  it('refuses to save a template with invalid MJML, naming the line', async () => {
    const invalid = await createTemplate(staff, {
      name: 'Broken',
      description: '',
      content: mjmlMessage('Hi</mj-text><mj-unknown-tag /><mj-text>'),
    });
    expect(invalid).toMatchObject({
      ok: false,
      error: {
        code: 'invalid_field',
        field: 'content',
        message: expect.stringMatching(/English: invalid MJML \(line \d+\)/),
      },
    });
  });
});

describe('the workspace layout and test addresses', () => {
  it('renders every mail in the saved layout, with the legal footer always added', async () => {
    await saveWorkspaceLayout(staff, {
      headerText: 'Kauppa Oy',
      brandColor: '#aa3300',
      logoUrl: '',
      footerText: 'Kauppa Oy, Tampere',
    });
    expect((await workspaceLayout()).brandColor).toBe('#aa3300');
    const preview = await previewMessage({ content: message('Hi'), purpose: 'newsletter', language: 'en' });
    if (!preview.ok) throw new Error(preview.error.message);
    expect(preview.value.html).toContain('Kauppa Oy');
    expect(preview.value.html.toLowerCase()).toContain('#aa3300');
    expect(preview.value.html).toContain('Kauppa Oy, Tampere');
    expect(preview.value.html).toContain('data-tarmo-footer');
    const mail = await buildMarketingMail(getDb(), {
      customerId,
      purposeKey: 'newsletter',
      content: message('Hi'),
    });
    expect(mail.ok && mail.html).toContain('Kauppa Oy, Tampere');
    expect(mail.ok && mail.html).toContain('data-tarmo-footer');
  });

  it('sends a test to the staff member, and to the saved list only when asked', async () => {
    const request = { content: message('Hi'), purpose: 'newsletter', language: 'en' as const };
    expect(await sendTestMessage(staff, { ...request, toSavedList: false })).toMatchObject({
      ok: true,
      value: { to: ['mia@example.com'] },
    });
    await saveTestAddresses(staff, ['QA@example.com', 'qa@example.com', 'team@example.com']);
    expect(await sendTestMessage(staff, { ...request, toSavedList: true })).toMatchObject({
      ok: true,
      value: { to: ['mia@example.com', 'qa@example.com', 'team@example.com'] },
    });
  });
});
