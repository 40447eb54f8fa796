import { notFound } from 'next/navigation';
import { requirePermission } from '@/app/_lib/session';
import { findDraft, findJourney, listPurposesWithThemes, listTestCustomers } from '@/lib/journeys/queries';
import { can } from '@/lib/auth/roles';
import { parseDraftGraph } from '@/lib/journeys/service';
import { TestMode } from '@/components/canvas/TestMode';
import { JourneyTabs } from '@/components/journeys/JourneyTabs';

export const metadata = { title: 'Test mode' };
export const dynamic = 'force-dynamic';

export default async function JourneyTestPage({ params }: { params: Promise<{ id: string }> }) {
  const staff = await requirePermission('journeys:view');
  const { id } = await params;
  if (!/^\d{1,12}$/.test(id)) notFound();
  const journey = await findJourney(Number(id));
  const draft = journey ? await findDraft(journey.id) : undefined;
  if (!journey || !draft) notFound();
  const parsed = parseDraftGraph(draft.graph);
  if (!parsed.ok) notFound();
  return (
    <>
      <h1>{journey.name}: test mode</h1>
      <JourneyTabs journeyId={journey.id} current="test" />
      <TestMode
        journeyId={journey.id}
        graph={parsed.graph}
        purposes={await listPurposesWithThemes()}
        customers={await listTestCustomers(1)}
        canRun={can(staff.role, 'journeys:edit')}
      />
    </>
  );
}
