import { describe, expect, it } from 'vitest';
import { useTempDatabase } from '@/tests/helpers/db';
import { insertPurposes } from '@/db/store/workspace';
import { findDraft, findJourney, listJourneysWithCounts, listPublishedVersions } from '@/db/store/journeys';
import { DEMO_PURPOSES } from '@/lib/demo/purposes';
import { seedDemoJourneys } from '@/lib/demo/seed-journeys';
import { STEP_TYPES, validateJourney } from '@/lib/journey';

useTempDatabase();

describe('seedDemoJourneys', () => {
  it('creates a live journey using every step type and a draft', async () => {
    const purposes = await insertPurposes(DEMO_PURPOSES);
    const { liveJourneyId, draftJourneyId } = await seedDemoJourneys({ purposes });
    const live = await findJourney(liveJourneyId);
    expect(live?.status).toBe('live');
    const versions = await listPublishedVersions(liveJourneyId);
    expect(versions).toHaveLength(1);
    expect(versions[0].isLive).toBe(true);
    const draft = await findDraft(liveJourneyId);
    const graph = draft?.graph as { nodes: { type: string }[] };
    expect(new Set(graph.nodes.map((n) => n.type))).toEqual(new Set(STEP_TYPES));
    expect((await findJourney(draftJourneyId))?.status).toBe('draft');
    const other = await findDraft(draftJourneyId);
    expect(validateJourney(other?.graph as never).ok).toBe(true);
    expect((await listJourneysWithCounts()).map((j) => j.id).sort()).toEqual(
      [liveJourneyId, draftJourneyId].sort(),
    );
  });
});
