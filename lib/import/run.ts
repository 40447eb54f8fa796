import fs from 'node:fs';
import path from 'node:path';
import { getDb, writeTransaction } from '@/db/client';
import { recordAudit } from '@/db/store/audit';
import { findCustomersByIdentity, purposeByKey } from '@/db/store/customers';
import { finishImportJob, saveImportProgress, type ImportProgress } from '@/db/store/imports';
import { tombstonedAddresses } from '@/lib/customers/tombstone';
import { csvRecordBatches, readHeader } from './csv';
import { importsDir } from '@/lib/files/import-uploads';
import { planMapping, type ImportMapping, type MappingPlan } from './mapping';
import { parseRow, type ParsedRow, type RowProblem } from './parse-row';
import {
  identityKeys,
  importNewRows,
  importOneRow,
  type ImportFallback,
  type RowOutcome,
} from './row-writes';
import { log } from '@/lib/config/log';
import { observeImportFallback, observeImportJob } from '@/lib/operations/metrics';

export type { RowProblem } from './parse-row';

/**
 * Rows per batch: read together (tombstones, existing identities) and written set-based. 2,000
 * rather than 500 spreads each transaction's fixed round trips (lock, lookups, savepoints, commit,
 * progress) over four times the rows: bench:ingest --store postgres went from about 7,500 to
 * 12,000 rows/s on a loaded machine.
 */
export const IMPORT_BATCH_SIZE = 2000;
/**
 * A write transaction ends after this long even mid-batch, and the event loop gets a turn:
 * the web process keeps answering (progress polls included) while an import runs. The deadline
 * is checked between rows, so a run of new rows written set-based counts as one.
 */
export const IMPORT_SLICE_MS = 40;
/** The report keeps the first errors only: enough to fix a file, bounded in size. */
export const MAX_REPORTED_ERRORS = 5000;

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

class DryRunRollback extends Error {}

/** One run of a job, as its batches see it. */
type ImportRun = {
  plan: MappingPlan;
  input: RunInput;
  progress: ImportProgress;
  /** Read which identities exist before writing (set once the file has shown one that does). */
  lookup: { existingFirst: boolean };
  /** The set-based writes that fell back to row by row in this run, reported once each. */
  fallbacksReported: Set<ImportFallback['write']>;
};

/**
 * Imports (or, for a dry run, checks) a CSV file in batches of IMPORT_BATCH_SIZE rows, each batch
 * one write transaction (or more: see IMPORT_SLICE_MS), yielding to the event loop in between so
 * the web app stays responsive; the next batch is parsed while one is written.
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

    // The file is parsed while the previous batch is written: one batch in the database, the next
    // in the parser, never more (memory stays flat whatever the file's size).
    let batch: ParsedRow[] = [];
    let batchProblems: RowProblem[] = [];
    let writing: Promise<void> = Promise.resolve();
    const lookup = { existingFirst: false };
    const fallbacksReported = new Set<ImportFallback['write']>();
    const startWriting = async () => {
      const rows = batch;
      const parseProblems = batchProblems;
      batch = [];
      batchProblems = [];
      await writing;
      writing = writeBatch(rows, parseProblems, { plan, input, progress, lookup, fallbacksReported }, report);
      // Awaited before the next batch or at the end; handled here so that a failure in between
      // is not an unhandled rejection.
      writing.catch(() => undefined);
    };
    let rowNumber = 1; // the header is row 1, as spreadsheets count
    try {
      for await (const records of csvRecordBatches(filePath, 2, IMPORT_BATCH_SIZE)) {
        for (const record of records) {
          rowNumber++;
          // A row of empty cells (",,,," as spreadsheets export trailing lines) is not a customer.
          if (record.every((value) => value === '')) continue;
          const parsed = parseRow(record, rowNumber, plan);
          if ('problem' in parsed) {
            progress.processedRows++;
            progress.failedRows++;
            batchProblems.push(parsed.problem);
          } else {
            if (parsed.consentWarning) batchProblems.push(parsed.consentWarning);
            batch.push(parsed.row);
          }
          if (batch.length >= IMPORT_BATCH_SIZE || batchProblems.length >= IMPORT_BATCH_SIZE)
            await startWriting();
        }
      }
      if (batch.length || batchProblems.length) await startWriting();
    } finally {
      // Nothing may still write progress once the job is finished (a parse error included).
      await writing.catch(() => undefined);
    }
    await writing;
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

/**
 * Writes one batch in slices (each its own transaction, progress saved after each, the event loop
 * given a turn in between) and reports its problems, the parser's included, in row order.
 */
async function writeBatch(
  rows: ParsedRow[],
  parseProblems: RowProblem[],
  job: ImportRun,
  report: (problem: RowProblem) => void,
): Promise<void> {
  const problems = parseProblems;
  for (let next = 0; next < rows.length;) {
    next = await processSlice(rows, next, job, problems);
    await saveImportProgress(job.input.jobId, job.progress);
    await new Promise((resolve) => setImmediate(resolve));
  }
  problems.sort((a, b) => a.row - b.row).forEach(report);
}

/**
 * Processes rows from `start` in one transaction until the batch ends or the slice time is up;
 * returns the next index. Set-based where it can be: the batch's tombstones are read in one query,
 * and a run of rows that are plainly new (no existing profile, no earlier row of this batch with
 * the same identity, not erased) is written with one set-based insert (importNewRows). Any other
 * row (an update, a merge, a conflict, a repeat within the file) goes through the same upsert as
 * the API, in its own savepoint, in file order. Consent is recorded per row through the ledger
 * either way.
 *
 * Which identities exist is read first (one query per slice) once the file has shown one that
 * does. Until then rows are taken as new: the insert leaves out a row whose profile exists and
 * importNewRows upserts it after the run's new rows. Their identities are disjoint (a repeat
 * within the batch never joins a run), so the order between them changes nothing; reading first
 * cost a quarter of the database's time per row of a file of new customers.
 */
async function processSlice(
  batch: ParsedRow[],
  start: number,
  { plan, input, progress, lookup, fallbacksReported }: ImportRun,
  problems: RowProblem[],
): Promise<number> {
  const counted = { imported: 0, skipped: 0, failed: 0 };
  const actor = { type: input.actorId ? ('user' as const) : ('system' as const), id: input.actorId };
  let index = start;
  const recordOutcome = (row: ParsedRow, outcome: RowOutcome) => {
    if (outcome.ok) {
      counted.imported++;
      if (outcome.warning) problems.push({ row: row.row, ...outcome.warning, kind: 'warning' });
    } else {
      counted.failed++;
      problems.push({ row: row.row, field: outcome.field, message: outcome.message, kind: 'error' });
    }
  };
  try {
    await writeTransaction(async (db) => {
      const rows = batch.slice(start);
      const emails = rows.flatMap((row) => (row.email ? [row.email] : []));
      const tombstoned = await tombstonedAddresses(db, emails);
      const purpose = plan.consent ? await purposeByKey(db, plan.consent.purposeKey) : undefined;
      // Identities that exist, or that a row before this one in the batch wrote.
      const taken = new Set<string>();
      if (lookup.existingFirst) {
        const externalIds = rows.flatMap((row) =>
          row.input.externalId ? [String(row.input.externalId)] : [],
        );
        for (const customer of await findCustomersByIdentity(db, externalIds, emails))
          for (const key of identityKeys(customer.externalId, customer.email)) taken.add(key);
      }

      let fresh: ParsedRow[] = [];
      const writeFresh = async () => {
        if (fresh.length === 0) return;
        const rowsToWrite = fresh;
        fresh = [];
        const written = await importNewRows(db, rowsToWrite, actor, purpose, input.jobId);
        for (const [row, outcome] of written.outcomes) recordOutcome(row, outcome);
        for (const fallback of written.fallbacks)
          noteFallback(fallback, input.jobId, fallbacksReported, problems);
        // Profiles exist for some of this file's identities: look them up from now on.
        if (written.upserted > 0) lookup.existingFirst = true;
      };
      // The slice's time counts from here (waiting for the write lock is not work), and it
      // always gets through at least one row.
      const deadline = performance.now() + IMPORT_SLICE_MS;
      for (; index < batch.length && (index === start || performance.now() < deadline); index++) {
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
        const keys = identityKeys(row.input.externalId as string | undefined, row.email);
        const isNew = keys.length > 0 && keys.every((key) => !taken.has(key));
        for (const key of keys) taken.add(key);
        if (isNew) {
          fresh.push(row);
          continue;
        }
        // Rows before this one are written first: the file's order decides.
        await writeFresh();
        recordOutcome(row, await importOneRow(db, row, actor, purpose, input.jobId));
      }
      await writeFresh();
      if (input.dryRun) throw new DryRunRollback();
    });
  } catch (error) {
    if (!(error instanceof DryRunRollback)) throw error;
  }
  progress.processedRows += index - start;
  progress.importedRows += counted.imported;
  progress.skippedRows += counted.skipped;
  progress.failedRows += counted.failed;
  return index;
}

/**
 * A set-based write that fell back to row by row: the rows are written all the same, but the
 * import is slower and something is wrong, so it is logged and counted each time and named once
 * per job in its report (the kind of write and the error's code, no row's data).
 */
function noteFallback(
  fallback: ImportFallback,
  jobId: number,
  reported: Set<ImportFallback['write']>,
  problems: RowProblem[],
): void {
  observeImportFallback(fallback.write);
  log().warn(
    { importJob: jobId, ...fallback },
    'import: a set-based write failed; its rows were written one by one',
  );
  if (reported.has(fallback.write)) return;
  reported.add(fallback.write);
  const what = fallback.write === 'consent' ? 'consent grants' : 'new customers';
  problems.push({
    row: 0,
    field: fallback.write === 'consent' ? 'consent' : 'row',
    message: `${what}: written one row at a time after the set-based write failed (${fallback.reason}); slower, but complete`,
    kind: 'warning',
  });
}
