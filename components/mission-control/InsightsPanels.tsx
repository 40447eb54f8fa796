import Link from 'next/link';
import { customerListHref } from '@/lib/mission-control/filters';
import { formatDuration } from '@/lib/mission-control/funnel';
import type { DashboardInsights } from '@/lib/mission-control/insights';

export function FunnelPanel({
  funnel,
  purpose,
  theme,
}: {
  funnel: DashboardInsights['funnel'];
  purpose?: string;
  theme?: string;
}) {
  return (
    <section className="card" aria-labelledby="mc-funnel">
      <h2 id="mc-funnel">Opt-in funnel</h2>
      <p className="muted">
        People asked to confirm a purpose in the period, each counted once (their latest request decides):
        requested = confirmed + expired or declined + still pending.
      </p>
      <dl className="mc-stats">
        <div>
          <dt>Requested</dt>
          <dd data-testid="funnel-requested">{funnel.requested.toLocaleString('en')}</dd>
        </div>
        <div>
          <dt>Confirmed</dt>
          <dd data-testid="funnel-confirmed">{funnel.confirmed.toLocaleString('en')}</dd>
        </div>
        <div>
          <dt>Rate</dt>
          <dd>{funnel.rate === null ? '–' : `${Math.round(funnel.rate * 1000) / 10} %`}</dd>
        </div>
        <div>
          <dt>Median time to confirm</dt>
          <dd>{formatDuration(funnel.medianMsToConfirm)}</dd>
        </div>
        <div>
          <dt>Expired or declined</dt>
          <dd data-testid="funnel-expired">{funnel.expired.toLocaleString('en')}</dd>
        </div>
        <div>
          <dt>Still pending</dt>
          <dd data-testid="funnel-pending">
            {purpose ? (
              <Link href={customerListHref({ purpose, theme, state: 'pending' })}>
                {funnel.stillPending.toLocaleString('en')}
              </Link>
            ) : (
              funnel.stillPending.toLocaleString('en')
            )}
          </dd>
        </div>
      </dl>
    </section>
  );
}

export function RetentionPanel({ rows }: { rows: DashboardInsights['pastRetention'] }) {
  return (
    <section className="card" aria-labelledby="mc-retention">
      <h2 id="mc-retention">Past retention</h2>
      <p className="muted">
        Not granted, and no change for longer than the purpose&rsquo;s retention period.
      </p>
      <ul className="mc-list">
        {rows.map((r) => (
          <li key={r.purposeKey}>
            {r.purposeName} <span className="muted">({r.retentionDays} d)</span>:{' '}
            <Link
              href={customerListHref({ purpose: r.purposeKey, retention: 'past' })}
              className={r.count ? 'error' : undefined}
            >
              {r.count.toLocaleString('en')}
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function WaitingPanel({ rows }: { rows: DashboardInsights['waitingForUnasked'] }) {
  return (
    <section className="card" aria-labelledby="mc-waiting">
      <h2 id="mc-waiting">Waiting for a consent never asked</h2>
      {rows.length ? (
        <ul className="mc-list">
          {rows.map((r) => (
            <li key={`${r.journeyId}/${r.purposeKey}`}>
              <Link href={customerListHref({ purpose: r.purposeKey, waiting: true })}>
                {r.count.toLocaleString('en')}
              </Link>{' '}
              in <Link href={`/journeys/${r.journeyId}`}>{r.journeyName}</Link> waiting for{' '}
              <code>{r.purposeKey}</code>
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">Nobody is waiting for a consent that was never asked.</p>
      )}
    </section>
  );
}
