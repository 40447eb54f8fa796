import Link from 'next/link';
import { notFound } from 'next/navigation';
import { requirePermission } from '@/app/_lib/session';
import { privacyRequestDetail } from '@/lib/privacy/staff';
import { requestAction } from './actions';
import { LocalTime } from '@/components/LocalTime';

export const dynamic = 'force-dynamic';

const AUDIT_ACTIONS: Record<string, string> = {
  'privacy_request.received': 'received',
  'privacy_request.verified': 'identity verified',
  'privacy_request.started': 'work started',
  'privacy_request.extended': 'deadline extended, person informed',
  'privacy_request.completed': 'completed',
  'privacy_request.rejected': 'rejected',
};

const when = (d: Date | null | undefined) => <LocalTime iso={d} />;

export default async function PrivacyRequestPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ msg?: string; err?: string }>;
}) {
  await requirePermission('privacy:manage');
  const { id } = await params;
  const { msg, err } = await searchParams;
  const detail = Number.isInteger(Number(id)) ? await privacyRequestDetail(Number(id)) : null;
  if (!detail) notFound();
  const { request, customer, audit, closed, overdue } = detail;

  return (
    <div style={{ display: 'flex', flexDirection: 'column', gap: '1rem', maxWidth: 900 }}>
      <p>
        <Link href="/privacy-requests">← Privacy requests</Link>
      </p>
      <h1>
        Request #{request.id}: {request.kind} <span className="badge">{request.status}</span>{' '}
        {overdue && <span className="badge danger">overdue</span>}
      </h1>
      {msg && (
        <p role="status" className="badge ok">
          {msg}
        </p>
      )}
      {err && (
        <p role="alert" className="field-error">
          {err}
        </p>
      )}
      <section className="card">
        <dl
          style={{ display: 'grid', gridTemplateColumns: 'max-content 1fr', gap: '0.25rem 1rem', margin: 0 }}
        >
          <dt>Customer</dt>
          <dd>
            {customer ? (
              <Link href={`/customers/${customer.id}`}>{customer.name || `#${customer.id}`}</Link>
            ) : (
              'not matched to a customer'
            )}
          </dd>
          <dt>Source</dt>
          <dd>{request.source}</dd>
          <dt>Received</dt>
          <dd>{when(request.receivedAt)}</dd>
          <dt>Identity verified</dt>
          <dd>
            {request.verifiedAt
              ? when(request.verifiedAt)
              : 'not yet (verification mail sent to the address on file)'}
          </dd>
          <dt>Due</dt>
          <dd>
            {when(request.dueAt)}
            {request.extensionReason ? ` (extended: ${request.extensionReason})` : ''}
          </dd>
          {request.statusReason && (
            <>
              <dt>Reason</dt>
              <dd>{request.statusReason}</dd>
            </>
          )}
          {request.receipt && (
            <>
              <dt>Receipt</dt>
              <dd>
                <code style={{ overflowWrap: 'anywhere' }}>{JSON.stringify(request.receipt)}</code>
              </dd>
            </>
          )}
        </dl>
      </section>

      {!closed && (
        <section className="card" aria-labelledby="act-h">
          <h2 id="act-h">Act on the request</h2>
          <div className="grid">
            {request.status === 'open' && (
              <form action={requestAction} className="form-stack">
                <input type="hidden" name="requestId" value={request.id} />
                <input type="hidden" name="action" value="start" />
                <button type="submit">Start working on it</button>
              </form>
            )}
            <form action={requestAction} className="form-stack">
              <input type="hidden" name="requestId" value={request.id} />
              <input type="hidden" name="action" value="complete" />
              <label htmlFor="note">Note (optional)</label>
              <input id="note" name="note" maxLength={1000} />
              <button type="submit" className="primary" disabled={request.status === 'unverified'}>
                {request.kind === 'erasure'
                  ? 'Complete: erase customer'
                  : request.kind === 'access' || request.kind === 'portability'
                    ? 'Complete: send data package'
                    : 'Complete'}
              </button>
            </form>
            {!request.extensionReason && overdue && (
              <p className="muted" data-testid="extension-closed">
                The deadline can no longer be extended: an extension must be decided and announced to the
                person within the first month (Art. 12(3)). Answer the request now.
              </p>
            )}
            {!request.extensionReason && !overdue && (
              <form action={requestAction} className="form-stack">
                <input type="hidden" name="requestId" value={request.id} />
                <input type="hidden" name="action" value="extend" />
                <label htmlFor="extend-reason">
                  Extension reason (adds two months; mailed to the person in their language)
                </label>
                <input id="extend-reason" name="reason" required minLength={5} maxLength={1000} />
                <button type="submit">Extend deadline</button>
              </form>
            )}
            <form action={requestAction} className="form-stack">
              <input type="hidden" name="requestId" value={request.id} />
              <input type="hidden" name="action" value="reject" />
              <label htmlFor="reject-reason">Rejection reason</label>
              <input id="reject-reason" name="reason" required minLength={5} maxLength={1000} />
              <button type="submit" className="danger">
                Reject
              </button>
            </form>
          </div>
        </section>
      )}

      <section className="card" aria-labelledby="audit-h">
        <h2 id="audit-h">Audit trail</h2>
        <ol data-testid="request-audit">
          {audit.map((a) => (
            <li key={a.id}>
              {when(a.at)} — {AUDIT_ACTIONS[a.action] ?? a.action} by {a.actor}
            </li>
          ))}
        </ol>
      </section>
    </div>
  );
}
