import type { Metadata } from 'next';
import { requirePermission } from '@/app/_lib/session';
import { MissionControl } from '@/components/mission-control/MissionControl';
import { verifyLedgerNow } from './actions';
import { listPurposeInfo } from '@/lib/mission-control/insights';
import { can } from '@/lib/auth/roles';
import { parseDashboardFilters } from '@/lib/mission-control/filters';
import { loadConsentSummary } from '@/lib/mission-control/summary';
import { deliverabilityByPurpose } from '@/lib/delivery/deliverability';
import { DeliverabilityRates } from '@/components/mission-control/DeliverabilityRates';

export const metadata: Metadata = { title: 'Mission Control · Tarmo' };
export const dynamic = 'force-dynamic';

export default async function MissionControlPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const staff = await requirePermission('mission-control:view');
  const filters = parseDashboardFilters(await searchParams);
  const [summary, purposes, deliverability] = await Promise.all([
    loadConsentSummary({ purpose: filters.purpose, theme: filters.theme }),
    listPurposeInfo(),
    deliverabilityByPurpose(30),
  ]);
  return (
    <>
      <MissionControl
        key={`${filters.purpose ?? ''}|${filters.theme ?? ''}|${filters.period}`}
        filters={filters}
        initialSummary={summary}
        purposes={purposes.map((p) => ({ key: p.key, name: p.name, themes: p.themes }))}
        verifyLedger={can(staff.role, 'mission-control:view') ? verifyLedgerNow : undefined}
      />
      <DeliverabilityRates rates={deliverability} days={30} />
    </>
  );
}
