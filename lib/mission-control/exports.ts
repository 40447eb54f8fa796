import { getDb } from '@/db/client';
import { ledgerExportPage } from '@/db/store/ledger-export';
import { listPurposeInfo } from '@/db/store/dashboard';
import { listJourneyGraphs } from '@/db/store/journeys';
import { listWebhooks } from '@/db/store/webhooks';
import { appEnv } from '@/lib/config/env';
import { currentProvider } from '@/lib/delivery/rate-limit';
import { journeyDraftSchema } from '@/lib/journey';
import { resolveTemplates } from '@/lib/journeys/message-checks';
import { csvLine } from './csv';
import {
  buildProcessingRecords,
  technicalMeasures,
  type ProcessingRecord,
  type RecordJourney,
} from './records';

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

export { LEGAL_BASIS_LABELS, type ProcessingRecord } from './records';

/**
 * Art. 30 record of processing activities, one row per active purpose, built from the live
 * versions and drafts of the journeys that are not archived (lib/mission-control/records.ts).
 */
export async function recordsOfProcessing(): Promise<ProcessingRecord[]> {
  const db = getDb();
  const journeys: RecordJourney[] = [];
  for (const journey of await listJourneyGraphs(db)) {
    const live = journey.live ? journeyDraftSchema.safeParse(journey.live.graph) : undefined;
    if (live?.success)
      journeys.push({
        id: journey.id,
        name: journey.name,
        status: journey.status,
        version: { kind: 'live', number: journey.live?.number ?? null },
        graph: live.data,
      });
    const draft = journey.draft ? journeyDraftSchema.safeParse(journey.draft.graph) : undefined;
    // A draft's template is read as publishing would copy it.
    if (draft?.success)
      journeys.push({
        id: journey.id,
        name: journey.name,
        status: journey.status,
        version: { kind: 'draft' },
        graph: (await resolveTemplates(db, draft.data)).graph,
      });
  }
  const env = appEnv();
  return buildProcessingRecords({
    purposes: await listPurposeInfo(db),
    journeys,
    webhooks: (await listWebhooks()).filter((hook) => hook.active),
    mailProvider: env.SMTP_URL ? currentProvider() : null,
    technicalMeasures: installationMeasures(),
  });
}

/** This installation's technical measures, as the record states them (from its configuration). */
export function installationMeasures(): string[] {
  const env = appEnv();
  return technicalMeasures({ databaseUrl: env.DATABASE_URL, smtpUrl: env.SMTP_URL });
}

export const RECORDS_CSV_HEADER = [
  'purpose_key',
  'purpose',
  'description',
  'legal_basis',
  'journeys',
  'data_categories',
  'recipients',
  'retention',
  'retention_duty',
  'themes',
  'notice_version',
  'technical_measures',
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
          r.journeys,
          r.dataCategories,
          r.recipients,
          r.retention,
          r.retentionDuty,
          r.themes,
          r.noticeVersion,
          r.technicalMeasures,
        ]),
      )
      .join('')
  );
}
