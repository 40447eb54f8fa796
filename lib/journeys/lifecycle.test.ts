import { beforeAll, describe, expect, it } from 'vitest';
import { useTempDatabase } from '@/tests/helpers/db';
import { upsertUser } from '@/db/store/users';
import { insertCustomers, insertPurposes } from '@/db/store/workspace';
import { findJourney } from '@/db/store/journeys';
import { DEMO_PURPOSES } from '@/lib/demo/purposes';
import { sampleSimpleJourney } from '@/lib/journey';
import { publishJourney, setJourneyStatus } from './lifecycle';
import { createJourney, saveDraft } from './service';

const database = useTempDatabase();
let actor: { id: number };

beforeAll(async () => {
  await insertPurposes(DEMO_PURPOSES);
  await insertCustomers(
    ['a', 'b'].map((key) => ({
      externalId: key,
      email: `${key}@example.com`,
      name: key.toUpperCase(),
      locale: 'en' as const,
      timeZone: 'UTC',
      attributes: {},
    })),
  );
  const { user } = await upsertUser({ email: 'm@example.com', role: 'marketer', passwordHash: 'x' });
  actor = { id: user.id };
});

describe('journey lifecycle', () => {
  it('publishing a target-group journey enrolls the matching customers through the executor', async () => {
    const created = await createJourney(actor, 'Everyone');
    if (!created.ok) throw new Error('create failed');
    const journey = created.value;
    const sample = sampleSimpleJourney('newsletter');
    // Everyone matches an empty "all" group.
    const everyone = {
      mode: 'segment',
      segment: { match: 'all', conditions: [] },
      reentry: { policy: 'never' },
      goals: [],
    };
    const graph = {
      ...sample,
      nodes: sample.nodes.map((n) => (n.id === 'entry' ? { ...n, config: everyone } : n)),
    };
    await saveDraft(actor, journey.id, { revision: 1, graph });
    const result = await publishJourney(actor, journey.id, {});
    expect(result).toMatchObject({ ok: true, value: { enrolled: 2 } });
    const enrolled = await database.get<{ n: number }>(
      'select count(*) as n from enrollments where journey_id = ?',
      journey.id,
    );
    expect(enrolled?.n).toBe(2);
  });

  it('pauses, resumes and archives through the executor and refuses an impossible change', async () => {
    const created = await createJourney(actor, 'Status');
    if (!created.ok) throw new Error('create failed');
    const journey = created.value;
    expect(await setJourneyStatus(actor, journey.id, 'pause')).toMatchObject({
      ok: false,
      error: { code: 'invalid_state' },
    });
    await saveDraft(actor, journey.id, { revision: 1, graph: sampleSimpleJourney('newsletter') });
    await publishJourney(actor, journey.id, {});
    expect(await setJourneyStatus(actor, journey.id, 'pause')).toMatchObject({
      ok: true,
      value: { status: 'paused' },
    });
    expect(await setJourneyStatus(actor, journey.id, 'resume')).toMatchObject({
      ok: true,
      value: { status: 'live' },
    });
    expect(await setJourneyStatus(actor, journey.id, 'archive')).toMatchObject({
      ok: true,
      value: { status: 'archived' },
    });
    expect((await findJourney(journey.id))?.archivedAt).not.toBeNull();
    // Archived by mistake: it comes back as a draft, once.
    expect(await setJourneyStatus(actor, journey.id, 'unarchive')).toMatchObject({
      ok: true,
      value: { status: 'draft', archivedAt: null },
    });
    expect(await setJourneyStatus(actor, journey.id, 'unarchive')).toMatchObject({
      ok: false,
      error: { code: 'invalid_state' },
    });
    expect(await setJourneyStatus(actor, 424242, 'pause')).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
  });
});
