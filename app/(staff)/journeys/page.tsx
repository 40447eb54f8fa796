import { requirePermission } from '@/app/_lib/session';
import { listJourneysWithCounts } from '@/db/store/journeys';
import { can } from '@/lib/auth/roles';
import { JourneyList } from '@/components/journeys/JourneyList';

export const metadata = { title: 'Journeys' };
export const dynamic = 'force-dynamic';

export default async function JourneysPage() {
  const staff = await requirePermission('journeys:view');
  const journeys = await listJourneysWithCounts();
  return (
    <>
      <h1>Journeys</h1>
      <JourneyList
        canEdit={can(staff.role, 'journeys:edit')}
        journeys={journeys.map((journey) => ({
          ...journey,
          updatedAt: journey.updatedAt?.toISOString() ?? null,
          createdAt: journey.createdAt.toISOString(),
        }))}
      />
    </>
  );
}
