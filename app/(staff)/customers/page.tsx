import type { Metadata } from 'next';
import Link from 'next/link';
import { requirePermission } from '@/app/_lib/session';
import { CONSENT_STATES } from '@/lib/vocabulary';
import { customerListHref, parseCustomerListParams } from '@/lib/mission-control/filters';
import { listCustomersForStaff } from '@/lib/mission-control/customer-list';
import { LocalTime } from '@/components/LocalTime';

export const metadata: Metadata = { title: 'Customers · Tarmo' };
export const dynamic = 'force-dynamic';

/** Customers with search and filters kept in the URL: the drill-down target of Mission Control. */
export default async function CustomersPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await requirePermission('customers:view');
  const params = parseCustomerListParams(await searchParams);
  const result = await listCustomersForStaff(params);
  const purpose = result.purposes.find((p) => p.key === params.purpose);
  const active = [
    params.state && `state ${params.state}`,
    params.blocked && 'blocked',
    params.retention && 'past retention',
    params.waiting && 'waiting in a journey for a consent never asked',
    params.scope && `block scope ${params.scope}`,
    params.reason && `block reason ${params.reason}`,
  ].filter(Boolean);
  return (
    <div>
      <div className="row" style={{ justifyContent: 'space-between' }}>
        <h1>Customers</h1>
        <Link href="/customers/import" className="button">
          Import
        </Link>
      </div>
      <form
        method="get"
        action="/customers"
        className="row card"
        aria-label="Search and filter customers"
        style={{ alignItems: 'flex-end' }}
      >
        <div>
          <label htmlFor="c-q">Search</label>
          <input
            id="c-q"
            name="q"
            type="search"
            defaultValue={params.q ?? ''}
            placeholder="email, name, id or external id"
          />
        </div>
        <div>
          <label htmlFor="c-purpose">Purpose</label>
          <select id="c-purpose" name="purpose" defaultValue={params.purpose ?? ''}>
            <option value="">Any</option>
            {result.purposes.map((p) => (
              <option key={p.key} value={p.key}>
                {p.name}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="c-theme">Theme</label>
          <select id="c-theme" name="theme" defaultValue={params.theme ?? ''}>
            <option value="">The purpose itself</option>
            {result.purposes.flatMap((p) =>
              p.themes.map((t) => (
                <option key={`${p.key}/${t.key}`} value={t.key}>
                  {p.name}: {t.name}
                </option>
              )),
            )}
          </select>
        </div>
        <div>
          <label htmlFor="c-state">Consent state</label>
          <select id="c-state" name="state" defaultValue={params.state ?? ''}>
            <option value="">Any</option>
            {CONSENT_STATES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="c-blocked">
            <input
              id="c-blocked"
              type="checkbox"
              name="blocked"
              value="1"
              defaultChecked={!!params.blocked}
            />{' '}
            Blocked
          </label>
          <label htmlFor="c-retention">
            <input
              id="c-retention"
              type="checkbox"
              name="retention"
              value="past"
              defaultChecked={!!params.retention}
            />{' '}
            Past retention
          </label>
          <label htmlFor="c-waiting">
            <input
              id="c-waiting"
              type="checkbox"
              name="waiting"
              value="1"
              defaultChecked={!!params.waiting}
            />{' '}
            Waiting for unasked consent
          </label>
        </div>
        <button type="submit" className="primary">
          Apply
        </button>
        <Link href="/customers">Clear</Link>
      </form>
      <p className="muted" aria-live="polite">
        {result.unknownPurpose
          ? `No purpose "${params.purpose}".`
          : `${purpose ? `${purpose.name}${params.theme ? ` / ${params.theme}` : ''}` : 'All customers'}${active.length ? ` · ${active.join(' · ')}` : ''}${
              (params.state || params.retention) && !purpose ? ' (choose a purpose for consent filters)' : ''
            }`}
      </p>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Id</th>
              <th scope="col">Email</th>
              <th scope="col">Name</th>
              <th scope="col">Status</th>
              {purpose ? <th scope="col">Consent ({purpose.name})</th> : null}
            </tr>
          </thead>
          <tbody>
            {result.rows.map((c) => (
              <tr key={c.id}>
                <td>
                  <Link href={`/customers/${c.id}`}>#{c.id}</Link>
                </td>
                <td>
                  <Link href={`/customers/${c.id}`}>
                    {c.email ?? <span className="muted">(erased)</span>}
                  </Link>
                </td>
                <td>{c.name}</td>
                <td>{c.status}</td>
                {purpose ? (
                  <td>
                    <span className={`badge ${c.consentState ?? 'not-asked'}`}>
                      {c.consentState ?? 'not-asked'}
                    </span>
                    {c.consentUpdatedAt ? (
                      <span className="muted">
                        {' '}
                        since <LocalTime iso={new Date(c.consentUpdatedAt)} style="date" />
                      </span>
                    ) : null}
                  </td>
                ) : null}
              </tr>
            ))}
            {result.rows.length === 0 ? (
              <tr>
                <td colSpan={purpose ? 5 : 4} className="muted">
                  No customers match.
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
      <nav className="row" aria-label="Pages" style={{ marginTop: '0.75rem' }}>
        {params.after ? (
          <Link href={customerListHref({ ...params, after: undefined })}>First page</Link>
        ) : null}
        {result.nextAfter ? (
          <Link href={customerListHref({ ...params, after: result.nextAfter })}>Next page</Link>
        ) : null}
      </nav>
    </div>
  );
}
