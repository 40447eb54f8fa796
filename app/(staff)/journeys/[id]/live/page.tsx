import Link from 'next/link';
import { notFound } from 'next/navigation';
import { requirePermission } from '@/app/_lib/session';
import { findJourney, findPublishedVersion, listPurposesWithThemes } from '@/lib/journeys/queries';
import { parseDraftGraph } from '@/lib/journeys/service';
import { stepTitleIn } from '@/lib/journey';
import { LiveView } from '@/components/canvas/LiveView';
import { ExperimentResults } from '@/components/journeys/ExperimentResults';
import { FailedEnrollments } from '@/components/journeys/FailedEnrollments';
import { JourneyTabs } from '@/components/journeys/JourneyTabs';
import { can } from '@/lib/auth/roles';

export const metadata = { title: 'Live view' };
export const dynamic = 'force-dynamic';

export default async function JourneyLivePage({ params }: { params: Promise<{ id: string }> }) {
  const staff = await requirePermission('journeys:view');
  const { id } = await params;
  if (!/^\d{1,12}$/.test(id)) notFound();
  const journey = await findJourney(Number(id));
  if (!journey) notFound();
  const version = journey.liveVersionId
    ? await findPublishedVersion(journey.id, journey.liveVersionId)
    : undefined;
  const parsed = version ? parseDraftGraph(version.graph) : undefined;
  return (
    <>
      <h1>
        {journey.name}: live view <span className={`badge ${journey.status}`}>{journey.status}</span>
      </h1>
      <JourneyTabs journeyId={journey.id} current="live" />
      {parsed?.ok && can(staff.role, 'customers:view') && (
        <FailedEnrollments
          journeyId={journey.id}
          canRetry={can(staff.role, 'journeys:edit')}
          nodeTitles={Object.fromEntries(
            parsed.graph.nodes.map((node) => [node.id, stepTitleIn(parsed.graph, node.id)]),
          )}
        />
      )}
      {parsed?.ok && parsed.graph.nodes.some((node) => node.type === 'split') && (
        <ExperimentResults journeyId={journey.id} canDeclare={can(staff.role, 'journeys:edit')} />
      )}
      {parsed?.ok ? (
        <LiveView journeyId={journey.id} graph={parsed.graph} purposes={await listPurposesWithThemes()} />
      ) : (
        <p className="muted">
          This journey has not been published yet.{' '}
          <Link href={`/journeys/${journey.id}`}>Open the editor</Link>
        </p>
      )}
    </>
  );
}
