import Link from 'next/link';
import { notFound } from 'next/navigation';
import { requirePermission } from '@/app/_lib/session';
import { findJourney, listPublishedVersions } from '@/lib/journeys/queries';
import { can } from '@/lib/auth/roles';
import { RestoreVersionButton } from '@/components/journeys/RestoreVersionButton';
import { JourneyTabs } from '@/components/journeys/JourneyTabs';
import { LocalTime } from '@/components/LocalTime';

export const metadata = { title: 'Journey history' };
export const dynamic = 'force-dynamic';

export default async function JourneyHistoryPage({ params }: { params: Promise<{ id: string }> }) {
  const staff = await requirePermission('journeys:view');
  const { id } = await params;
  if (!/^\d{1,12}$/.test(id)) notFound();
  const journey = await findJourney(Number(id));
  if (!journey) notFound();
  const versions = await listPublishedVersions(journey.id);
  const canEdit = can(staff.role, 'journeys:edit') && journey.status !== 'archived';
  return (
    <>
      <h1>{journey.name}: history</h1>
      <JourneyTabs journeyId={journey.id} current="history" />
      <p className="muted">Published versions never change. Restoring copies a version into the draft.</p>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Version</th>
              <th scope="col">Published</th>
              <th scope="col">By</th>
              <th scope="col">What changed</th>
              {canEdit && <th scope="col">Actions</th>}
            </tr>
          </thead>
          <tbody>
            {versions.length === 0 && (
              <tr>
                <td colSpan={5} className="muted">
                  Not published yet. <Link href={`/journeys/${journey.id}`}>Open the editor</Link>
                </td>
              </tr>
            )}
            {versions.map((version) => (
              <tr key={version.id} data-testid={`version-${version.number}`}>
                <td>
                  Version {version.number}{' '}
                  {version.isLive && <span className={`badge ${journey.status}`}>{journey.status}</span>}
                </td>
                <td>
                  <LocalTime iso={version.createdAt} />
                </td>
                <td>{version.authorName ?? '—'}</td>
                <td>{version.changeSummary}</td>
                {canEdit && (
                  <td>
                    <RestoreVersionButton
                      journeyId={journey.id}
                      versionId={version.id}
                      number={version.number ?? 0}
                    />
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
