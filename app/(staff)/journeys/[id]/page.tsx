import { notFound } from 'next/navigation';
import { requirePermission } from '@/app/_lib/session';
import { findDraft, findJourney, listPurposesWithThemes } from '@/lib/journeys/queries';
import { can } from '@/lib/auth/roles';
import { runningCustomerCount } from '@/lib/journeys/dead-letters';
import { parseDraftGraph, starterGraph } from '@/lib/journeys/service';
import { journeyVocabulary } from '@/lib/journeys/vocabulary';
import { JourneyEditor } from '@/components/canvas/JourneyEditor';

export const metadata = { title: 'Journey editor' };
export const dynamic = 'force-dynamic';

export default async function JourneyEditorPage({ params }: { params: Promise<{ id: string }> }) {
  const staff = await requirePermission('journeys:view');
  const { id } = await params;
  if (!/^\d{1,12}$/.test(id)) notFound();
  const journey = await findJourney(Number(id));
  const draft = journey ? await findDraft(journey.id) : undefined;
  if (!journey || !draft) notFound();
  const parsed = parseDraftGraph(draft.graph);
  const [purposes, vocabulary] = await Promise.all([listPurposesWithThemes(), journeyVocabulary()]);
  return (
    <JourneyEditor
      journeyId={journey.id}
      journeyName={journey.name}
      status={journey.status}
      hasLiveVersion={journey.liveVersionId !== null}
      runningCustomers={journey.liveVersionId !== null ? await runningCustomerCount(journey.id) : 0}
      initialGraph={parsed.ok ? parsed.graph : starterGraph()}
      initialRevision={draft.revision}
      purposes={purposes}
      vocabulary={vocabulary}
      readOnly={!can(staff.role, 'journeys:edit') || journey.status === 'archived'}
    />
  );
}
