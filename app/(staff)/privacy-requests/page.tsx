import Link from 'next/link';
import { requirePermission } from '@/app/_lib/session';
import { privacyRequestQueue } from '@/lib/privacy/staff';
import { LocalTime } from '@/components/LocalTime';

export const dynamic = 'force-dynamic';

const day = (d: Date | null) => <LocalTime iso={d} style="date" />;

export default async function PrivacyRequestsPage({
  searchParams,
}: {
  searchParams: Promise<{ show?: string }>;
}) {
  await requirePermission('privacy:manage');
  const { show } = await searchParams;
  const status = show === 'closed' || show === 'all' ? show : 'open';
  const rows = await privacyRequestQueue(status);
  return (
    <div>
      <h1>Privacy requests</h1>
      <p className="muted">
        Art. 15–22 requests. Each is due one month after receipt (Art. 12(3)); overdue requests are listed
        first.
      </p>
      <nav className="row" aria-label="Filter">
        <Link href="/privacy-requests" aria-current={status === 'open' ? 'page' : undefined}>
          Open
        </Link>
        <Link href="/privacy-requests?show=closed" aria-current={status === 'closed' ? 'page' : undefined}>
          Closed
        </Link>
        <Link href="/privacy-requests?show=all" aria-current={status === 'all' ? 'page' : undefined}>
          All
        </Link>
      </nav>
      <div className="table-wrap" style={{ marginTop: '1rem' }}>
        <table data-testid="privacy-request-queue">
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">Kind</th>
              <th scope="col">Customer</th>
              <th scope="col">Status</th>
              <th scope="col">Source</th>
              <th scope="col">Received</th>
              <th scope="col">Due</th>
            </tr>
          </thead>
          <tbody>
            {rows.length === 0 && (
              <tr>
                <td colSpan={7} className="muted">
                  No requests.
                </td>
              </tr>
            )}
            {rows.map(({ request, customerName, overdue }) => (
              <tr key={request.id} data-overdue={overdue ? 'true' : undefined}>
                <td>
                  <Link href={`/privacy-requests/${request.id}`}>#{request.id}</Link>
                </td>
                <td>{request.kind}</td>
                <td>
                  {request.customerId ? (
                    <Link href={`/customers/${request.customerId}`}>
                      {customerName || `#${request.customerId}`}
                    </Link>
                  ) : (
                    <span className="muted">unmatched</span>
                  )}
                </td>
                <td>
                  <span
                    className={`badge ${request.status === 'completed' ? 'ok' : request.status === 'rejected' ? 'archived' : 'pending'}`}
                  >
                    {request.status}
                  </span>
                </td>
                <td>{request.source}</td>
                <td>{day(request.receivedAt)}</td>
                <td>
                  {day(request.dueAt)} {overdue && <span className="badge danger">overdue</span>}
                  {request.extensionReason && <span className="badge">extended</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
