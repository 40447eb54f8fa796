'use client';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useMemo, useState } from 'react';
import { filtersToQuery, type DashboardFilters } from '@/lib/mission-control/filters';
import type { ConsentSummary } from '@/lib/mission-control/summary';
import { fetchInsights, fetchSummary } from './api';
import { ChangesChart } from './ChangesChart';
import { FilterBar, type PurposeOption } from './FilterBar';
import { FunnelPanel, RetentionPanel, WaitingPanel } from './InsightsPanels';
import { LiveFeed } from './LiveFeed';
import { BlocksPanel, GpcPanel, LedgerStatus, PrivacyRequestsPanel } from './StatusPanels';
import { SummaryTable } from './SummaryTable';
import { useConsentStream } from './useConsentStream';
import { VerifyLedgerButton } from './VerifyLedgerButton';
import styles from './mission-control.module.css';

const POLL_FALLBACK_MS = 5_000;

export function MissionControl(props: {
  filters: DashboardFilters;
  initialSummary: ConsentSummary;
  purposes: PurposeOption[];
  /** The "Verify now" server action, for roles that may run it. */
  verifyLedger?: () => Promise<{ message: string }>;
}) {
  const { filters } = props;
  const client = useQueryClient();
  const summaryQuery = filtersToQuery({ purpose: filters.purpose, theme: filters.theme });
  const insightsQuery = filtersToQuery(filters);
  const summaryKey = useMemo(
    () => ['consent-summary', filters.purpose ?? '', filters.theme ?? ''] as const,
    [filters.purpose, filters.theme],
  );
  const insightsKey = ['mission-insights', insightsQuery] as const;
  // The page was rendered at initialSummary.generatedAt; a stream summary newer than that wins.
  const [now] = useState(() => Date.now());

  const onLedgerEvents = useCallback(() => {
    void client.invalidateQueries({ queryKey: ['mission-insights'] });
  }, [client]);
  const { status, recent } = useConsentStream(summaryQuery, summaryKey, onLedgerEvents);
  const live = status === 'live';

  const summary = useQuery({
    queryKey: summaryKey,
    queryFn: () => fetchSummary(summaryQuery),
    initialData: props.initialSummary,
    staleTime: Infinity,
    refetchInterval: live ? false : POLL_FALLBACK_MS,
  });
  const insights = useQuery({
    queryKey: insightsKey,
    queryFn: () => fetchInsights(insightsQuery),
    refetchInterval: live ? false : POLL_FALLBACK_MS * 2,
  });
  const data = summary.data;

  return (
    <div className={styles.page} data-testid="mission-control">
      <header className={styles.header}>
        <h1>Mission Control</h1>
        <FilterBar filters={filters} purposes={props.purposes} />
      </header>
      <SummaryTable summary={data} />
      <div className={styles.columns}>
        <LedgerStatus
          ledger={data.ledger}
          verifyAction={props.verifyLedger ? <VerifyLedgerButton verify={props.verifyLedger} /> : undefined}
        />
        <PrivacyRequestsPanel requests={data.privacyRequests} now={now} />
        <BlocksPanel blocks={data.blocks} />
        <GpcPanel gpc={data.gpc} />
      </div>
      <section className="card" aria-labelledby="mc-changes">
        <h2 id="mc-changes">Consent changes over time</h2>
        {insights.data ? (
          <ChangesChart points={insights.data.changes} />
        ) : (
          <p className="muted">{insights.isError ? 'Could not load the chart.' : 'Loading…'}</p>
        )}
      </section>
      <div className={styles.columns}>
        {insights.data ? (
          <>
            <FunnelPanel funnel={insights.data.funnel} purpose={filters.purpose} theme={filters.theme} />
            <WaitingPanel rows={insights.data.waitingForUnasked} />
            <RetentionPanel rows={insights.data.pastRetention} />
          </>
        ) : null}
        <LiveFeed status={status} events={recent} />
      </div>
      <section className="card" aria-labelledby="mc-exports">
        <h2 id="mc-exports">Exports</h2>
        <ul className="mc-list">
          <li>
            <a href={`/api/mission-control/ledger.csv${insightsQuery}`} download>
              Consent ledger (CSV, filtered by purpose and period, with chain hashes)
            </a>
          </li>
          <li>
            <a href="/api/mission-control/records.csv" download>
              Record of processing activities (Art. 30, CSV)
            </a>{' '}
            · <a href="/mission-control/records">printable</a>
          </li>
        </ul>
      </section>
    </div>
  );
}
