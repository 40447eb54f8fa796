import { ledgerExportPage } from '@/db/store/ledger-export';
import { listPurposeInfo, type PurposeInfo } from '@/db/store/dashboard';
import { csvLine } from './csv';

/**
 * Columns of the ledger export. `hash` = HMAC-SHA256(ledger key, the fields joined by '|' in
 * this order: prev_hash, customer_id, purpose_id, theme_key, action, state_after,
 * occurred_at_ms, source, notice_hash, evidence_digest) — see lib/privacy/ledger.ts chainHash.
 * Anyone can check the chain links (each prev_hash equals the previous row's hash in a full
 * export); with the ledger key an auditor can recompute every hash outside Tarmo.
 */
export const LEDGER_CSV_COLUMNS = [
  'id',
  'occurred_at',
  'occurred_at_ms',
  'customer_id',
  'purpose_id',
  'purpose_key',
  'theme_key',
  'action',
  'state_after',
  'source',
  'notice_hash',
  'evidence_digest',
  'prev_hash',
  'hash',
] as const;

const PAGE = 2_000;

export type LedgerExportFilter = { from?: Date; to?: Date; purposeKey?: string };

/** Streams the (filtered) ledger page by page, so memory stays flat for millions of rows. */
export function ledgerCsvStream(filter: LedgerExportFilter): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let afterId = 0;
  let purposeId: number | undefined;
  let purposeIds = new Map<string, number>();
  let started = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        const purposes = await listPurposeInfo();
        purposeIds = new Map(purposes.map((p) => [p.key, p.id]));
        purposeId = filter.purposeKey ? (purposeIds.get(filter.purposeKey) ?? -1) : undefined;
        controller.enqueue(encoder.encode(csvLine(LEDGER_CSV_COLUMNS)));
        return;
      }
      const rows = await ledgerExportPage({
        from: filter.from,
        to: filter.to,
        purposeId,
        afterId,
        limit: PAGE,
      });
      if (rows.length === 0) {
        controller.close();
        return;
      }
      afterId = rows[rows.length - 1]!.id;
      const text = rows
        .map((r) =>
          csvLine([
            r.id,
            new Date(r.occurredAt).toISOString(),
            r.occurredAt,
            r.customerId,
            purposeIds.get(r.purposeKey) ?? '',
            r.purposeKey,
            r.themeKey,
            r.action,
            r.stateAfter,
            r.source,
            r.noticeHash ?? '',
            r.evidenceDigest,
            r.prevHash,
            r.hash,
          ]),
        )
        .join('');
      controller.enqueue(encoder.encode(text));
    },
  });
}

export const LEGAL_BASIS_LABELS: Record<string, string> = {
  consent: 'Consent — Art. 6(1)(a)',
  contract: 'Contract — Art. 6(1)(b)',
  'legal-obligation': 'Legal obligation — Art. 6(1)(c)',
  'vital-interests': 'Vital interests — Art. 6(1)(d)',
  'public-task': 'Public task — Art. 6(1)(e)',
  'legitimate-interests': 'Legitimate interests — Art. 6(1)(f)',
};

export type ProcessingRecord = {
  purposeKey: string;
  purpose: string;
  description: string;
  legalBasis: string;
  recipients: string;
  retention: string;
  retentionDuty: string;
  themes: string;
  noticeVersion: string;
};

/** Art. 30 record of processing activities, one row per active purpose. */
export async function recordsOfProcessing(): Promise<ProcessingRecord[]> {
  return (await listPurposeInfo()).map(toRecord);
}

function toRecord(p: PurposeInfo): ProcessingRecord {
  return {
    purposeKey: p.key,
    purpose: p.name,
    description: p.description,
    legalBasis: LEGAL_BASIS_LABELS[p.legalBasis] ?? p.legalBasis,
    recipients: p.recipients.length ? p.recipients.map((r) => r.name).join('; ') : 'none (internal only)',
    retention: `${p.retentionDays} days`,
    retentionDuty: p.retentionDuty ?? '',
    themes: p.themes.map((t) => t.name).join('; '),
    noticeVersion: p.noticeVersion === null ? '' : String(p.noticeVersion),
  };
}

export const RECORDS_CSV_HEADER = [
  'purpose_key',
  'purpose',
  'description',
  'legal_basis',
  'recipients',
  'retention',
  'retention_duty',
  'themes',
  'notice_version',
] as const;

export function recordsCsv(records: ProcessingRecord[]): string {
  return (
    csvLine(RECORDS_CSV_HEADER) +
    records
      .map((r) =>
        csvLine([
          r.purposeKey,
          r.purpose,
          r.description,
          r.legalBasis,
          r.recipients,
          r.retention,
          r.retentionDuty,
          r.themes,
          r.noticeVersion,
        ]),
      )
      .join('')
  );
}
