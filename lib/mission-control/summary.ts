import {
  countActiveBlocksByScopeAndReason,
  countBlockedByTheme,
  countCustomersByStatus,
  countOpenPrivacyRequests,
  contactBlocksVersion,
  latestConsentEventId,
  latestLedgerCheck,
  listOpenPrivacyRequests,
  listPurposeInfo,
  readConsentCounters,
  type PurposeInfo,
} from '@/db/store/dashboard';
import { countsFor, type StateCounts } from './counts';

export type SummaryRow = { key: string; name: string; counts: StateCounts; blocked: number };

export type PurposeSummary = SummaryRow & {
  legalBasis: string;
  retentionDays: number;
  themes: SummaryRow[];
};

export type ConsentSummary = {
  generatedAt: string;
  /** The newest ledger event included; the stream sends events after it. */
  lastEventId: number;
  activeCustomers: number;
  purposes: PurposeSummary[];
  blocks: { active: number; byScopeAndReason: { scope: string; reason: string; count: number }[] };
  /** People whose browser sent Global Privacy Control: one active 'gpc' block each (lib/privacy/gpc). */
  gpc: { people: number };
  privacyRequests: {
    open: number;
    overdue: number;
    items: {
      id: number;
      kind: string;
      status: string;
      source: string;
      receivedAt: string;
      dueAt: string;
      overdue: boolean;
    }[];
  };
  ledger: {
    lastVerifiedAt: string | null;
    ok: boolean | null;
    checkedCount: number;
    firstBrokenEventId: number | null;
    message: string | null;
  };
};

export type SummaryFilter = { purpose?: string; theme?: string };

// The purposes table is tiny and rarely edited; re-reading it on every 250 ms refresh of every
// open stream would still be cheap, but a short cache keeps the summary to counter reads.
let purposeCache: { at: number; value: PurposeInfo[] } | undefined;
const PURPOSE_CACHE_MS = 5_000;

async function purposesCached(now: number): Promise<PurposeInfo[]> {
  if (!purposeCache || now - purposeCache.at > PURPOSE_CACHE_MS)
    purposeCache = { at: now, value: await listPurposeInfo() };
  return purposeCache.value;
}

type BlockFigures = {
  byTheme: Map<string, number>;
  groups: { scope: string; reason: string; count: number }[];
};
let blockCache: { version: number; value: Promise<BlockFigures> } | undefined;

/**
 * Block aggregates need a pass over the active blocks (distinct people per theme), so they are
 * cached under contact_blocks' trigger-maintained version: exact, and recomputed only after a
 * block is set or lifted.
 */
async function blockFigures(): Promise<BlockFigures> {
  const version = await contactBlocksVersion();
  if (!blockCache || blockCache.version !== version) {
    const value = Promise.all([countBlockedByTheme(), countActiveBlocksByScopeAndReason()]).then(
      ([byTheme, groups]) => ({ byTheme, groups }),
    );
    blockCache = { version, value };
    value.catch(() => (blockCache = undefined));
  }
  return blockCache.value;
}

/**
 * Everything at a glance, built from counter tables and index probes only (no scans over
 * customers or the ledger), so it stays fast at millions of rows.
 */
export async function loadConsentSummary(
  filter: SummaryFilter = {},
  now = new Date(),
): Promise<ConsentSummary> {
  const [lastEventId, counters, statuses, purposeInfo, blocks, requestCounts, requests, check] =
    await Promise.all([
      latestConsentEventId(),
      readConsentCounters(),
      countCustomersByStatus(),
      purposesCached(now.getTime()),
      blockFigures(),
      countOpenPrivacyRequests(now),
      listOpenPrivacyRequests(20),
      latestLedgerCheck(),
    ]);
  const activeCustomers = statuses.active ?? 0;
  const { byTheme: blockedByTheme, groups: blockGroups } = blocks;
  const globalBlocked = blockedByTheme.get('') ?? 0;
  const purposes = purposeInfo
    .filter((p) => !filter.purpose || p.key === filter.purpose)
    .map((p) => ({
      key: p.key,
      name: p.name,
      legalBasis: p.legalBasis,
      retentionDays: p.retentionDays,
      counts: countsFor(counters, p.id, '', activeCustomers),
      blocked: globalBlocked,
      themes: p.themes
        .filter((t) => !filter.theme || t.key === filter.theme)
        .map((t) => ({
          key: t.key,
          name: t.name,
          counts: countsFor(counters, p.id, t.key, activeCustomers),
          blocked: blockedByTheme.get(t.key) ?? globalBlocked,
        })),
    }));
  return {
    generatedAt: now.toISOString(),
    lastEventId,
    activeCustomers,
    purposes,
    blocks: { active: blockGroups.reduce((sum, g) => sum + g.count, 0), byScopeAndReason: blockGroups },
    gpc: { people: blockGroups.filter((g) => g.reason === 'gpc').reduce((sum, g) => sum + g.count, 0) },
    privacyRequests: {
      ...requestCounts,
      items: requests.map((r) => ({
        id: r.id,
        kind: r.kind,
        status: r.status,
        source: r.source,
        receivedAt: r.receivedAt.toISOString(),
        dueAt: r.dueAt.toISOString(),
        overdue: r.dueAt.getTime() < now.getTime(),
      })),
    },
    ledger: {
      lastVerifiedAt: check?.at.toISOString() ?? null,
      ok: check ? check.ok : null,
      checkedCount: check?.checkedCount ?? 0,
      firstBrokenEventId: check?.firstBrokenEventId ?? null,
      message: check?.message ?? null,
    },
  };
}
