import { beforeAll, describe, expect, it } from 'vitest';
import { upsertUser } from '@/db/store/users';
import { insertPurposes } from '@/db/store/workspace';
import { DEMO_PURPOSES } from '@/lib/demo/purposes';
import { sampleSimpleJourney, type JourneyDraft } from '@/lib/journey';
import { recordsCsv, recordsOfProcessing } from '@/lib/mission-control/exports';
import { useTempDatabase } from '@/tests/helpers/db';
import { lintPrivacy } from './privacy-lint';
import { publishDraft } from './publish';
import { createJourney, saveDraft } from './service';

const database = useTempDatabase();
let actor: { id: number };

beforeAll(async () => {
  await insertPurposes(DEMO_PURPOSES);
  const { user } = await upsertUser({ email: 'records@example.com', role: 'marketer', passwordHash: 'x' });
  actor = { id: user.id };
});

/** The simple newsletter journey with a condition on the loyalty tier between the gate and the send. */
function withTierCondition(graph: JourneyDraft): JourneyDraft {
  return {
    nodes: [
      ...graph.nodes,
      {
        id: 'tier',
        type: 'condition',
        title: 'Gold tier?',
        position: { x: 300, y: 100 },
        config: {
          rule: {
            match: 'all',
            conditions: [{ kind: 'attribute', key: 'loyaltyTier', op: 'eq', value: 'gold' }],
          },
        },
      },
    ],
    edges: [
      ...graph.edges.filter((edge) => !(edge.source === 'gate' && edge.target === 'send')),
      { id: 'gate-tier', source: 'gate', sourceHandle: 'granted', target: 'tier' },
      { id: 'tier-send', source: 'tier', sourceHandle: 'yes', target: 'send' },
      { id: 'tier-exit', source: 'tier', sourceHandle: 'no', target: 'exit' },
    ],
  };
}

async function newsletterRecord() {
  const record = (await recordsOfProcessing()).find((r) => r.purposeKey === 'newsletter');
  if (!record) throw new Error('no newsletter record');
  return record;
}

describe('the record of processing, generated from the journeys', () => {
  it("adding an attribute condition to a live journey adds that category to its purpose's record", async () => {
    const created = await createJourney(actor, 'Newsletter by tier');
    if (!created.ok) throw new Error('create failed');
    const id = created.value.id;
    const graph = sampleSimpleJourney('newsletter');
    await saveDraft(actor, id, { revision: 1, graph });
    expect(await publishDraft(actor, id, { revision: 2 })).toMatchObject({ ok: true, value: { number: 1 } });
    const before = await newsletterRecord();
    expect(before.journeys).toBe('Newsletter by tier (live v1)');
    expect(before.dataCategories).toContain('email address');
    expect(before.dataCategories).not.toContain('loyaltyTier');

    await saveDraft(actor, id, { revision: 2, graph: withTierCondition(graph) });
    // Only the draft reads it so far: listed, marked as the draft's.
    expect((await newsletterRecord()).dataCategories).toContain('attribute “loyaltyTier” (draft)');

    // The newsletter's description and notice do not mention the tier: a warning, not a block.
    const refused = await publishDraft(actor, id, { revision: 3 });
    expect(refused).toMatchObject({ ok: false, error: { code: 'confirm_warnings' } });
    const warnings = refused.ok
      ? []
      : (refused.error.details?.warnings as { code: string; nodeId?: string }[]);
    expect(warnings).toContainEqual(
      expect.objectContaining({ code: 'purpose-record-unmentioned', nodeId: 'tier' }),
    );
    expect(await publishDraft(actor, id, { revision: 3, confirmWarnings: true })).toMatchObject({
      ok: true,
      value: { number: 2 },
    });

    const after = await newsletterRecord();
    expect(after.journeys).toBe('Newsletter by tier (live v2)');
    expect(after.dataCategories).toContain('attribute “loyaltyTier”');
    expect(after.dataCategories).not.toContain('loyaltyTier” (draft)');
    const csv = recordsCsv(await recordsOfProcessing());
    const row = csv.split('\r\n').find((line) => line.startsWith('newsletter,'));
    expect(row).toContain('attribute “loyaltyTier”');

    // privacy:lint reports it on the live version, once (the draft is the same).
    const findings = (await lintPrivacy()).filter((f) => f.journeyId === id);
    expect(findings).toEqual([
      expect.objectContaining({
        severity: 'warning',
        version: 'live v2',
        step: 'Condition “Gold tier?”',
        rule: 'purpose-record-unmentioned',
      }),
    ]);
  });

  it('a purpose whose description names the attribute publishes without the warning', async () => {
    await database.run(
      "UPDATE purposes SET description = 'A monthly mail; gold members (by loyalty tier) get extras.' WHERE key = 'newsletter'",
    );
    const created = await createJourney(actor, 'Tier mention');
    if (!created.ok) throw new Error('create failed');
    await saveDraft(actor, created.value.id, {
      revision: 1,
      graph: withTierCondition(sampleSimpleJourney('newsletter')),
    });
    expect(await publishDraft(actor, created.value.id, { revision: 2 })).toMatchObject({
      ok: true,
      value: { kind: 'published' },
    });
    expect((await lintPrivacy()).filter((f) => f.rule.startsWith('purpose-record'))).toEqual([]);
  });
});
