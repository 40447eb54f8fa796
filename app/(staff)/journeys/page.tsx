import { requirePermission } from '@/app/_lib/session';
import { listJourneysWithCounts } from '@/lib/journeys/queries';
import { can } from '@/lib/auth/roles';
import { failedCountsByJourney } from '@/lib/journeys/dead-letters';
import { JourneyList } from '@/components/journeys/JourneyList';

export const metadata = { title: 'Journeys' };
export const dynamic = 'force-dynamic';

export default async function JourneysPage() {
  const staff = await requirePermission('journeys:view');
  const journeys = await listJourneysWithCounts();
  const failed = await failedCountsByJourney(
    journeys.filter((journey) => journey.liveVersionId !== null).map((journey) => journey.id),
  );
  return (
    <>
      <h1>Journeys</h1>
      <JourneyList
        canEdit={can(staff.role, 'journeys:edit')}
        journeys={journeys.map((journey) => ({
          ...journey,
          failedCount: failed.get(journey.id) ?? 0,
          updatedAt: journey.updatedAt?.toISOString() ?? null,
          createdAt: journey.createdAt.toISOString(),
        }))}
      />
    </>
  );
}
