import { beforeAll, describe, expect, it } from 'vitest';
import { useTempDatabase } from '@/tests/helpers/db';
import { findJourney } from '@/db/store/journeys';
import { upsertUser } from '@/db/store/users';
import { insertCustomers, insertPurposes } from '@/db/store/workspace';
import { DEMO_PURPOSES } from '@/lib/demo/purposes';
import { sampleSimpleJourney, type Issue, type JourneyDraft } from '@/lib/journey';
import type { MessageContent } from '@/lib/messages/content';
import { publishDraft } from './publish';
import { createJourney, saveDraft } from './service';

useTempDatabase();
let actor: { id: number };

beforeAll(async () => {
  await insertPurposes(DEMO_PURPOSES);
  const { user } = await upsertUser({ email: 'm@example.com', role: 'marketer', passwordHash: 'x' });
  actor = { id: user.id };
  await insertCustomers([
    { email: 'a@example.com', name: 'Aino Virtanen', locale: 'en', attributes: { city: 'Tampere' } },
    { email: 'b@example.com', name: '', locale: 'de', attributes: {} },
    { email: 'c@example.com', name: '', locale: 'en', attributes: {} },
  ] as never);
});

function withMessage(content: MessageContent): JourneyDraft {
  const graph = sampleSimpleJourney('newsletter');
  for (const node of graph.nodes)
    if (node.type === 'send-message') node.config = { purpose: 'newsletter', channel: 'email', content };
  return graph;
}

async function publish(content: MessageContent) {
  const created = await createJourney(actor, `Messages ${Math.random()}`);
  if (!created.ok) throw new Error('create failed');
  const journeyId = created.value.id;
  await saveDraft(actor, journeyId, { revision: 1, graph: withMessage(content) });
  const result = await publishDraft(actor, journeyId, { confirmWarnings: true });
  const details = result.ok ? undefined : (result.error.details as { errors: Issue[]; warnings: Issue[] });
  return {
    journeyId,
    result,
    errors: details?.errors ?? [],
    codes: details?.errors.map((e) => e.code) ?? [],
  };
}

const variant = (text: string, mjml?: string) =>
  mjml
    ? { subject: 'News', mode: 'mjml' as const, mjml }
    : { subject: 'News', mode: 'simple' as const, blocks: [{ type: 'paragraph' as const, text }] };

describe('publishing a journey with a designed message', () => {
  it('is refused when some customers lack a variable without a default, counted from the data', async () => {
    const { journeyId, result, errors } = await publish({
      fallbackLanguage: 'en',
      variants: { en: variant('Hi {{ firstName }}'), de: variant('Hallo {{ firstName }}') },
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'validation_failed' } });
    expect(errors).toEqual([
      expect.objectContaining({
        code: 'message-missing-data',
        nodeId: 'send',
        message: expect.stringContaining('2 of 3 customers have no firstName'),
      }),
    ]);
    expect((await findJourney(journeyId))?.liveVersionId).toBeNull();
  });

  it('is refused for an unknown variable, a Liquid syntax error or invalid MJML', async () => {
    const unknown = await publish({ fallbackLanguage: 'en', variants: { en: variant('Hi {{ nickname }}') } });
    expect(unknown.codes).toEqual(['message-unknown-variable']);
    const syntax = await publish({ fallbackLanguage: 'en', variants: { en: variant('Hi {{ firstName ') } });
    expect(syntax.codes).toContain('message-liquid-syntax');
    const mjml = await publish({
      fallbackLanguage: 'en',
      variants: { en: variant('', '<mjml><mj-body><mj-sectionx></mj-sectionx></mj-body></mjml>') },
    });
    expect(mjml.errors[0]?.message).toMatch(/invalid MJML.*mj-sectionx/);
  });

  it('publishes with defaults and an attribute customers have, warning about a missing language', async () => {
    const { result } = await publish({
      fallbackLanguage: 'en',
      variants: { en: variant('Hi {{ firstName | default: "there" }} from {{ city | default: "home" }}') },
    });
    // The newsletter's description and notice do not mention the city: its record would not cover it.
    expect(
      result.ok && result.value.kind === 'published' && result.value.warnings.map((w) => w.code),
    ).toEqual(['message-missing-language', 'purpose-record-unmentioned']);
  });
});
