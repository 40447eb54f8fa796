import Link from 'next/link';
import { SUMMARY_STATES } from '@/lib/mission-control/counts';
import { customerListHref } from '@/lib/mission-control/filters';
import type { ConsentSummary, SummaryRow } from '@/lib/mission-control/summary';

const STATE_LABELS: Record<(typeof SUMMARY_STATES)[number], string> = {
  'not-asked': 'Not asked',
  pending: 'Pending opt-in',
  granted: 'Granted',
  withdrawn: 'Withdrawn',
  expired: 'Expired',
  objected: 'Objected',
};

function Row({ row, purposeKey, themeKey }: { row: SummaryRow; purposeKey: string; themeKey?: string }) {
  const id = themeKey ? `${purposeKey}-${themeKey}` : purposeKey;
  return (
    <tr>
      <th scope="row">
        {themeKey ? <span aria-hidden="true">↳ </span> : null}
        {row.name}
      </th>
      {SUMMARY_STATES.map((state) => (
        <td key={state} className="num">
          <Link
            href={customerListHref({ purpose: purposeKey, theme: themeKey, state })}
            data-testid={`count-${id}-${state}`}
            aria-label={`${row.name}: ${row.counts[state]} ${STATE_LABELS[state].toLowerCase()}`}
          >
            {row.counts[state].toLocaleString('en')}
          </Link>
        </td>
      ))}
      <td className="num">
        <Link
          href={customerListHref({ purpose: purposeKey, theme: themeKey, blocked: true })}
          data-testid={`count-${id}-blocked`}
          aria-label={`${row.name}: ${row.blocked} blocked`}
        >
          {row.blocked.toLocaleString('en')}
        </Link>
      </td>
    </tr>
  );
}

/** Per purpose (and theme) counts; every number opens the matching customer list. */
export function SummaryTable({ summary }: { summary: ConsentSummary }) {
  return (
    <section className="card" aria-labelledby="mc-consents" data-testid="consent-summary">
      <h2 id="mc-consents">Consent at a glance</h2>
      <p className="muted">
        {summary.activeCustomers.toLocaleString('en')} active customers. &ldquo;Not asked&rdquo; = active
        customers minus everyone with another state for the purpose.
      </p>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Purpose / theme</th>
              {SUMMARY_STATES.map((state) => (
                <th key={state} scope="col" className="num">
                  {STATE_LABELS[state]}
                </th>
              ))}
              <th scope="col" className="num">
                Blocked
              </th>
            </tr>
          </thead>
          <tbody>
            {summary.purposes.map((purpose) => [
              <Row key={purpose.key} row={purpose} purposeKey={purpose.key} />,
              ...purpose.themes.map((theme) => (
                <Row
                  key={`${purpose.key}/${theme.key}`}
                  row={theme}
                  purposeKey={purpose.key}
                  themeKey={theme.key}
                />
              )),
            ])}
          </tbody>
        </table>
      </div>
    </section>
  );
}
