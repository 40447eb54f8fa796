import { requirePermission } from '@/app/_lib/session';
import {
  actorLabel,
  auditPage,
  otherDetails,
  parseAuditFilter,
  whereFrom,
} from '@/lib/mission-control/audit-trail';
import { LocalTime } from '@/components/LocalTime';

export const metadata = { title: 'Audit log' };
export const dynamic = 'force-dynamic';

export default async function AuditPage(props: { searchParams: Promise<Record<string, string | string[]>> }) {
  await requirePermission('audit:view');
  const filter = parseAuditFilter(await props.searchParams);
  const { rows, nextBefore } = await auditPage(filter);
  const query = new URLSearchParams(
    Object.entries(filter).flatMap(([key, value]) =>
      value === undefined || value === '' || key === 'before' ? [] : [[key, String(value)]],
    ),
  );
  const next = new URLSearchParams(query);
  if (nextBefore) next.set('before', String(nextBefore));
  return (
    <>
      <h1>Audit log</h1>
      <p className="muted">
        Every staff action and API write: who, what, on which record, from where and when. Entries hold ids,
        never personal data.
      </p>
      <form method="get" className="filters" aria-label="Filter the audit log">
        <div>
          <label htmlFor="audit-actor">Actor</label>
          <select id="audit-actor" name="actor" defaultValue={filter.actor ?? ''}>
            <option value="">Anyone</option>
            <option value="user">Staff</option>
            <option value="api_key">API key</option>
            <option value="customer">Customer</option>
            <option value="system">System</option>
          </select>
        </div>
        <div>
          <label htmlFor="audit-actor-id">Actor id</label>
          <input id="audit-actor-id" name="actorId" defaultValue={filter.actorId ?? ''} size={6} />
        </div>
        <div>
          <label htmlFor="audit-action">Action starts with</label>
          <input id="audit-action" name="action" defaultValue={filter.action ?? ''} />
        </div>
        <div>
          <label htmlFor="audit-target-type">Record type</label>
          <input id="audit-target-type" name="targetType" defaultValue={filter.targetType ?? ''} size={12} />
        </div>
        <div>
          <label htmlFor="audit-target-id">Record id</label>
          <input id="audit-target-id" name="targetId" defaultValue={filter.targetId ?? ''} size={6} />
        </div>
        <div>
          <label htmlFor="audit-from">From</label>
          <input id="audit-from" name="from" type="date" defaultValue={filter.from ?? ''} />
        </div>
        <div>
          <label htmlFor="audit-to">To</label>
          <input id="audit-to" name="to" type="date" defaultValue={filter.to ?? ''} />
        </div>
        <div className="row">
          <button type="submit">Filter</button>
          <a href={`/audit/export.csv${query.size ? `?${query}` : ''}`} download>
            Export CSV
          </a>
        </div>
      </form>
      {/* Wide details scroll sideways: the region takes the focus so the keyboard can scroll it. */}
      <div className="table-wrap" tabIndex={0} role="region" aria-label="Audit log entries">
        <table data-testid="audit-log">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Who</th>
              <th scope="col">What</th>
              <th scope="col">Record</th>
              <th scope="col">From where</th>
              <th scope="col">Details</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.id} data-audit-id={row.id}>
                <td className="nowrap">
                  <LocalTime iso={new Date(row.at)} />
                </td>
                <td>{actorLabel(row)}</td>
                <td>
                  <code>{row.action}</code>
                </td>
                <td>{row.targetType ? `${row.targetType} ${row.targetId ?? ''}` : '—'}</td>
                <td>{whereFrom(row) || '—'}</td>
                <td className="muted">{otherDetails(row)}</td>
              </tr>
            ))}
            {rows.length === 0 && (
              <tr>
                <td colSpan={6}>No entries match.</td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      {nextBefore && <a href={`/audit?${next}`}>Older entries</a>}
    </>
  );
}
