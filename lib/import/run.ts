import fs from 'node:fs';
import path from 'node:path';
import { getDb, writeTransaction, type Db } from '@/db/client';
import { recordAudit } from '@/db/store/audit';
import { purposeByKey } from '@/db/store/customers';
import { finishImportJob, saveImportProgress, withSavepoint, type ImportProgress } from '@/db/store/imports';
import { customerUpsertSchema } from '@/lib/api/schemas';
import { textProblem } from '@/lib/api/json-guard';
import { currentConsent } from '@/lib/privacy/contact-check';
import { recordConsentEvent } from '@/lib/privacy/ledger';
import { tombstonedAddresses } from '@/lib/customers/tombstone';
import { upsertCustomerIn } from '@/lib/customers/upsert';
import { csvRecords, readHeader } from './csv';
import { importsDir } from '@/lib/files/import-uploads';
import { parseConsentCell, planMapping, type ImportMapping, type MappingPlan } from './mapping';
import { log } from '@/lib/config/log';
import { observeImportJob } from '@/lib/operations/metrics';

export const IMPORT_BATCH_SIZE = 500;
/**
 * A write transaction ends after this long even mid-batch, and the event loop gets a turn:
 * the web process keeps answering (progress polls included) while an import runs.
 */
export const IMPORT_SLICE_MS = 40;
/** The report keeps the first errors only: enough to fix a file, bounded in size. */
export const MAX_REPORTED_ERRORS = 5000;

export type RowProblem = {
  row: number;
  field: string;
  message: string;
  kind: 'error' | 'skipped' | 'warning';
};

export function importFilePath(jobId: number): string {
  return path.join(importsDir(), `${jobId}.csv`);
}

type RunInput = {
  jobId: number;
  mapping: ImportMapping;
  dryRun: boolean;
  actorId: number | null;
  filePath?: string;
};
type ParsedRow = {
  row: number;
  input: Record<string, unknown>;
  email?: string;
  consent: { source: string; evidence: string } | null;
};

class DryRunRollback extends Error {}

/**
 * Imports (or, for a dry run, checks) a CSV file in batches of IMPORT_BATCH_SIZE rows, each batch
 * one write transaction, yielding to the event loop in between so the web app stays responsive.
 * A dry run executes exactly the same code and rolls each batch back, so its per-row errors are
 * the real ones. Progress is saved in import_jobs after every batch.
 */
export async function runImportJob(input: RunInput): Promise<ImportProgress & { problems: RowProblem[] }> {
  const filePath = input.filePath ?? importFilePath(input.jobId);
  const progress: ImportProgress = { processedRows: 0, importedRows: 0, skippedRows: 0, failedRows: 0 };
  const problems: RowProblem[] = [];
  let problemCount = 0;
  const report = (problem: RowProblem) => {
    problemCount++;
    if (problems.length < MAX_REPORTED_ERRORS) problems.push(problem);
  };
  try {
    const header = await readHeader(filePath);
    const planned = planMapping(header, input.mapping);
    if (!planned.ok) throw new Error(planned.message);
    const plan = planned.plan;
    for (const warning of plan.warnings)
      report({ row: 0, field: 'consent', message: warning, kind: 'warning' });
    if (plan.consent && !(await purposeExists(plan.consent.purposeKey)))
      throw new Error(`Unknown purpose ${plan.consent.purposeKey}`);

    let batch: ParsedRow[] = [];
    let rowNumber = 1; // the header is row 1, as spreadsheets count
    const flush = async () => {
      for (let next = 0; next < batch.length;) {
        next = await processSlice(batch, next, plan, input, progress, report);
        await saveImportProgress(input.jobId, progress);
        await new Promise((resolve) => setImmediate(resolve));
      }
      batch = [];
    };
    for await (const record of csvRecords(filePath, 2)) {
      rowNumber++;
      // A row of empty cells (",,,," as spreadsheets export trailing lines) is not a customer.
      if (record.every((value) => value === '')) continue;
      const parsed = parseRow(record, rowNumber, plan);
      if ('problem' in parsed) {
        progress.processedRows++;
        progress.failedRows++;
        report(parsed.problem);
        continue;
      }
      if (parsed.consentWarning) report(parsed.consentWarning);
      batch.push(parsed.row);
      if (batch.length >= IMPORT_BATCH_SIZE) await flush();
    }
    if (batch.length) await flush();
    const errorReport = JSON.stringify({ problems, truncated: problemCount - problems.length });
    await finishImportJob(input.jobId, { ...progress, status: 'done', errorReport });
    observeImportJob('done');
    if (!input.dryRun) {
      await recordAudit({
        actorType: input.actorId ? 'user' : 'system',
        actorId: input.actorId,
        action: 'import.completed',
        targetType: 'import_job',
        targetId: input.jobId,
        details: { ...progress },
      });
      // Data minimisation: the uploaded file is not kept once its rows are in.
      fs.rmSync(filePath, { force: true });
    }
    return { ...progress, problems };
  } catch (error) {
    const message = error instanceof Error ? error.message : 'import failed';
    report({ row: 0, field: 'file', message, kind: 'error' });
    await finishImportJob(input.jobId, {
      ...progress,
      status: 'failed',
      errorReport: JSON.stringify({ problems, truncated: 0 }),
    });
    observeImportJob('failed');
    log().warn({ importJob: input.jobId, err: error }, 'import failed');
    return { ...progress, problems };
  }
}

async function purposeExists(key: string): Promise<boolean> {
  return !!(await purposeByKey(getDb(), key));
}

function parseRow(
  record: string[],
  row: number,
  plan: MappingPlan,
): { row: ParsedRow; consentWarning?: RowProblem } | { problem: RowProblem } {
  // A cell the database cannot store as sent (NUL, unpaired surrogates) fails its row by column,
  // like any other invalid value, instead of failing the whole batch's write.
  for (const [index, value] of record.entries()) {
    const problem = textProblem(value ?? '');
    if (problem) {
      const field = `column ${index + 1}`;
      return { problem: { row, field, message: `${field}: ${problem}`, kind: 'error' } };
    }
  }
  const cell = (index: number | undefined) =>
    index === undefined ? undefined : (record[index] ?? '').trim() || undefined;
  const attributes: Record<string, unknown> = {};
  for (const { index, key } of plan.attributes) {
    const value = cell(index);
    if (value !== undefined) attributes[key] = value;
  }
  const candidate = {
    email: cell(plan.index.email),
    externalId: cell(plan.index.externalId),
    name: cell(plan.index.name),
    locale: cell(plan.index.locale),
    timeZone: cell(plan.index.timeZone),
    ...(plan.attributes.length ? { attributes } : {}),
  };
  const clean = Object.fromEntries(Object.entries(candidate).filter(([, value]) => value !== undefined));
  // The same schema the API validates with: a row is accepted exactly when the API would accept it.
  const parsed = customerUpsertSchema.safeParse(clean);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.map(String).join('.') || 'row';
    return { problem: { row, field, message: `${field}: ${issue?.message ?? 'invalid'}`, kind: 'error' } };
  }
  let consent: ParsedRow['consent'] = null;
  let consentWarning: RowProblem | undefined;
  if (plan.consent) {
    const decision = parseConsentCell(record[plan.consent.index] ?? '');
    if (decision === 'invalid') {
      consentWarning = {
        row,
        field: 'consent',
        message: 'consent: not a yes/no value; imported without consent',
        kind: 'warning',
      };
    } else if (decision === 'grant') {
      const source = cell(plan.consent.sourceIndex);
      const evidence = cell(plan.consent.evidenceIndex);
      if (source && evidence) consent = { source, evidence };
      else
        consentWarning = {
          row,
          field: 'consent',
          message: 'consent: no source or evidence in this row; imported without consent',
          kind: 'warning',
        };
    }
  }
  return {
    row: { row, input: parsed.data, email: parsed.data.email?.toLowerCase(), consent },
    consentWarning,
  };
}

/** Processes rows from `start` in one transaction until the batch ends or the slice time is up; returns the next index. */
async function processSlice(
  batch: ParsedRow[],
  start: number,
  plan: MappingPlan,
  input: RunInput,
  progress: ImportProgress,
  report: (problem: RowProblem) => void,
): Promise<number> {
  const counted = { imported: 0, skipped: 0, failed: 0 };
  const problems: RowProblem[] = [];
  const actor = { type: input.actorId ? ('user' as const) : ('system' as const), id: input.actorId };
  const deadline = performance.now() + IMPORT_SLICE_MS;
  let index = start;
  try {
    await writeTransaction(async (db) => {
      const tombstoned = await tombstonedAddresses(
        db,
        batch.slice(start).flatMap((row) => (row.email ? [row.email] : [])),
      );
      const purpose = plan.consent ? await purposeByKey(db, plan.consent.purposeKey) : undefined;
      for (; index < batch.length && performance.now() < deadline; index++) {
        const row = batch[index]!;
        if (row.email && tombstoned.has(row.email)) {
          counted.skipped++;
          problems.push({
            row: row.row,
            field: 'email',
            message: "skipped: this address was erased at the person's request",
            kind: 'skipped',
          });
          continue;
        }
        const outcome = await importOneRow(db, row, actor, purpose, input.jobId);
        if (outcome.ok) {
          counted.imported++;
          if (outcome.warning) problems.push({ row: row.row, ...outcome.warning, kind: 'warning' });
        } else {
          counted.failed++;
          problems.push({ row: row.row, field: outcome.field, message: outcome.message, kind: 'error' });
        }
      }
      if (input.dryRun) throw new DryRunRollback();
    });
  } catch (error) {
    if (!(error instanceof DryRunRollback)) throw error;
  }
  progress.processedRows += index - start;
  progress.importedRows += counted.imported;
  progress.skippedRows += counted.skipped;
  progress.failedRows += counted.failed;
  problems.forEach(report);
  return index;
}

async function importOneRow(
  db: Db,
  row: ParsedRow,
  actor: { type: 'user' | 'system'; id: number | null },
  purpose: { id: number; key: string } | undefined,
  jobId: number,
): Promise<
  { ok: true; warning?: { field: string; message: string } } | { ok: false; field: string; message: string }
> {
  try {
    return await withSavepoint(db, async () => {
      const result = await upsertCustomerIn(db, row.input as Parameters<typeof upsertCustomerIn>[1], actor, {
        audit: false,
        tombstoneChecked: true,
      });
      if (!result.ok) {
        const { code, message, field } = result.error;
        return { ok: false as const, field: field ?? 'row', message: `${code}: ${message}` };
      }
      if (!row.consent || !purpose) return { ok: true as const };
      const current = (await currentConsent(db, result.value.customer.id, purpose.id, '')).state;
      // An old spreadsheet must never overturn a withdrawal or objection made since.
      if (current === 'withdrawn' || current === 'objected') {
        return {
          ok: true as const,
          warning: { field: 'consent', message: `consent: kept the customer's ${current} state` },
        };
      }
      if (current === 'granted') return { ok: true as const };
      await recordConsentEvent(db, {
        customerId: result.value.customer.id,
        purposeId: purpose.id,
        action: 'grant',
        source: 'import',
        evidence: {
          source: row.consent.source,
          evidence: row.consent.evidence,
          importJobId: jobId,
          row: row.row,
        },
      });
      return { ok: true as const };
    });
  } catch (error) {
    return {
      ok: false,
      field: 'row',
      message: error instanceof Error ? error.message.slice(0, 200) : 'could not import',
    };
  }
}
