import { writeTransaction } from '@/db/client';
import { insertJourney, insertPublishedVersion, updateJourney } from '@/db/store/journeys';
import { sampleJourneyUsingEveryStep, sampleSimpleJourney } from '@/lib/journey/samples';

interface SeedPurpose {
  key: string;
  recipients: { key: string }[];
}

function purposeKey(purposes: SeedPurpose[], wanted: string, fallbackIndex: number): string {
  return (purposes.find((p) => p.key === wanted) ?? purposes[fallbackIndex] ?? purposes[0]).key;
}

/**
 * The demo workspace's journeys: one published, live journey that uses every step type and
 * one draft. Written straight through the store (one transaction) because the demo needs no
 * enrollments yet: the live journey starts on an event.
 */
export async function seedDemoJourneys(input: {
  purposes: SeedPurpose[];
  authorId?: number;
}): Promise<{ liveJourneyId: number; draftJourneyId: number }> {
  if (input.purposes.length === 0) throw new Error('seedDemoJourneys needs at least one purpose');
  const newsletter = purposeKey(input.purposes, 'newsletter', 0);
  const offers = purposeKey(input.purposes, 'personalised-offers', 1);
  const partnerPurpose =
    input.purposes.find((p) => p.key === 'partner-transfer') ??
    input.purposes.find((p) => p.recipients.length > 0);
  const partner = partnerPurpose?.key ?? newsletter;
  const partnerRecipient = partnerPurpose?.recipients[0]?.key ?? 'partner';
  const authorId = input.authorId ?? null;

  return await writeTransaction(async (db) => {
    const liveGraph = sampleJourneyUsingEveryStep({ newsletter, offers, partner, partnerRecipient });
    const live = await insertJourney(db, {
      name: 'Welcome and privacy requests',
      graph: liveGraph,
      authorId,
    });
    const version = await insertPublishedVersion(db, {
      journeyId: live.id,
      graph: liveGraph,
      authorId,
      changeSummary: `First version: ${liveGraph.nodes.length} steps`,
    });
    await updateJourney(db, live.id, { status: 'live', liveVersionId: version.id }, authorId);

    const draft = await insertJourney(db, {
      name: 'Offers follow-up (draft)',
      graph: sampleSimpleJourney(offers),
      authorId,
    });
    return { liveJourneyId: live.id, draftJourneyId: draft.id };
  });
}
