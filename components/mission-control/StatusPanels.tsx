import Link from 'next/link';
import { customerListHref } from '@/lib/mission-control/filters';
import type { ConsentSummary } from '@/lib/mission-control/summary';
import { LocalTime } from '@/components/LocalTime';

function countdown(dueAt: string, now: number): string {
  const ms = new Date(dueAt).getTime() - now;
  const days = Math.floor(Math.abs(ms) / 86_400_000);
  const hours = Math.floor((Math.abs(ms) % 86_400_000) / 3_600_000);
  const text = days ? `${days} d ${hours} h` : `${hours} h`;
  return ms < 0 ? `overdue by ${text}` : `due in ${text}`;
}

export function LedgerStatus({
  ledger,
  verifyAction,
}: {
  ledger: ConsentSummary['ledger'];
  verifyAction?: React.ReactNode;
}) {
  const state = ledger.ok === null ? 'never verified' : ledger.ok ? 'intact' : 'broken';
  return (
    <section
      className="card"
      aria-labelledby="mc-ledger"
      data-testid="ledger-status"
      data-ledger-state={state}
    >
      <h2 id="mc-ledger">Ledger integrity</h2>
      <p>
        <span className={`badge ${ledger.ok === null ? 'warning' : ledger.ok ? 'ok' : 'danger'}`}>
          {state}
        </span>{' '}
        {ledger.lastVerifiedAt ? (
          <span className="muted">
            last verified <LocalTime iso={ledger.lastVerifiedAt} />,{' '}
            {ledger.checkedCount.toLocaleString('en')} events
          </span>
        ) : null}
      </p>
      {ledger.ok === false ? (
        <p className="error" role="alert">
          First broken event: #{ledger.firstBrokenEventId ?? '?'} — {ledger.message}
        </p>
      ) : null}
      {verifyAction}
    </section>
  );
}

export function PrivacyRequestsPanel({
  requests,
  now,
}: {
  requests: ConsentSummary['privacyRequests'];
  now: number;
}) {
  return (
    <section className="card" aria-labelledby="mc-requests">
      <h2 id="mc-requests">Open privacy requests</h2>
      <p>
        <Link href="/privacy-requests" data-testid="requests-open">
          {requests.open} open
        </Link>
        {requests.overdue ? (
          <>
            {' · '}
            <span className="badge danger">{requests.overdue} overdue</span>
          </>
        ) : null}
      </p>
      {requests.items.length ? (
        <ul className="mc-list">
          {requests.items.map((r) => (
            <li key={r.id}>
              <Link href={`/privacy-requests/${r.id}`}>
                #{r.id} {r.kind}
              </Link>{' '}
              <span className="muted">({r.status})</span>{' '}
              <span className={`badge ${r.overdue ? 'danger' : 'warning'}`}>
                <time dateTime={r.dueAt}>{countdown(r.dueAt, now)}</time>
              </span>
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">None open.</p>
      )}
    </section>
  );
}

export function BlocksPanel({ blocks }: { blocks: ConsentSummary['blocks'] }) {
  return (
    <section className="card" aria-labelledby="mc-blocks">
      <h2 id="mc-blocks">Contact blocks</h2>
      <p>
        <Link href={customerListHref({ blocked: true })}>{blocks.active.toLocaleString('en')} active</Link>
      </p>
      {blocks.byScopeAndReason.length ? (
        <table>
          <thead>
            <tr>
              <th scope="col">Scope</th>
              <th scope="col">Reason</th>
              <th scope="col" className="num">
                Blocks
              </th>
            </tr>
          </thead>
          <tbody>
            {blocks.byScopeAndReason.map((g) => (
              <tr key={`${g.scope}/${g.reason}`}>
                <td>{g.scope}</td>
                <td>{g.reason}</td>
                <td className="num">
                  <Link href={customerListHref({ scope: g.scope, reason: g.reason })}>
                    {g.count.toLocaleString('en')}
                  </Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="muted">No active blocks.</p>
      )}
    </section>
  );
}

export function GpcPanel({ gpc }: { gpc: ConsentSummary['gpc'] }) {
  return (
    <section className="card" aria-labelledby="mc-gpc" data-testid="gpc-signals">
      <h2 id="mc-gpc">Global Privacy Control</h2>
      <p>
        <Link href={customerListHref({ scope: 'sale-sharing', reason: 'gpc' })} data-testid="gpc-people">
          {gpc.people.toLocaleString('en')} {gpc.people === 1 ? 'person' : 'people'}
        </Link>{' '}
        sent the signal (<code>Sec-GPC: 1</code>).
      </p>
      <p className="muted">
        Each signal is recorded as an objection to every purpose marked as sale or sharing / targeted
        advertising, with an advertising block.
      </p>
    </section>
  );
}
