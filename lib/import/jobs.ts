import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable, Transform } from 'node:stream';
import {
  createImportJob,
  getImportJob,
  setImportTotal,
  startImportRun,
  type ImportJobRow,
} from '@/db/store/imports';
import { countDataRows, readHeader } from './csv';
import { importMappingSchema, planMapping, type ImportMapping } from './mapping';
import { importFilePath, runImportJob, type RowProblem } from './run';
import { err, ok, type Failure, type Result } from '@/lib/result';

export const MAX_UPLOAD_BYTES = 200 * 1024 * 1024;

export type UploadResult = Result<
  { jobId: number; columns: string[]; totalRows: number },
  Failure<'empty_file' | 'payload_too_large' | 'no_header' | 'not_csv'>
>;

/** Streams an upload to a file under dataDir (never whole in memory), then reads its header and row count. */
export async function receiveUpload(
  body: ReadableStream<Uint8Array> | null,
  fileName: string,
  actorId: number,
): Promise<UploadResult> {
  if (!body) return err('empty_file', 'The file is empty');
  const job = await createImportJob({
    fileName: fileName.replace(/[^\w. -]/g, '_').slice(0, 200) || 'upload.csv',
    createdBy: actorId,
  });
  const filePath = importFilePath(job.id);
  fs.mkdirSync(path.dirname(filePath), { recursive: true, mode: 0o700 });
  let size = 0;
  const limit = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      size += chunk.length;
      callback(size > MAX_UPLOAD_BYTES ? new Error('too large') : null, chunk);
    },
  });
  try {
    await pipeline(
      Readable.fromWeb(body as import('node:stream/web').ReadableStream),
      limit,
      fs.createWriteStream(filePath, { mode: 0o600 }),
    );
  } catch {
    fs.rmSync(filePath, { force: true });
    return err('payload_too_large', `The file is larger than ${MAX_UPLOAD_BYTES / 1024 / 1024} MB`);
  }
  try {
    const columns = await readHeader(filePath);
    if (columns.length === 0 || columns.every((column) => !column)) {
      return err('no_header', 'The first row must name the columns');
    }
    const totalRows = await countDataRows(filePath);
    await setImportTotal(job.id, totalRows);
    return ok({ jobId: job.id, columns, totalRows });
  } catch (error) {
    fs.rmSync(filePath, { force: true });
    return err(
      'not_csv',
      error instanceof Error
        ? `Not a readable CSV file: ${error.message.slice(0, 120)}`
        : 'Not a readable CSV file',
    );
  }
}

export type StartResult = Result<
  { warnings: string[] },
  Failure<'invalid_field' | 'not_found' | 'invalid_mapping' | 'running'>
>;

/** Starts a dry run or the import in the background of this process; progress goes to import_jobs. */
export async function startImport(
  jobId: number,
  input: { mapping: unknown; dryRun: boolean },
  actorId: number,
): Promise<StartResult> {
  const parsed = importMappingSchema.safeParse(input.mapping);
  if (!parsed.success) return err('invalid_field', 'mapping: invalid', { field: 'mapping' });
  const job = await getImportJob(jobId);
  const filePath = importFilePath(jobId);
  if (!job || !fs.existsSync(filePath))
    return err('not_found', 'No such upload (it may have been imported already)');
  const planned = planMapping(await readHeader(filePath), parsed.data);
  if (!planned.ok) return err('invalid_mapping', planned.message, { field: 'mapping' });
  const mapping: ImportMapping = parsed.data;
  if (!(await startImportRun(jobId, { dryRun: input.dryRun, mapping: flattenMapping(mapping) }))) {
    return err('running', 'This import is already running');
  }
  // Runs after the response; errors end up in the job row, never as an unhandled rejection.
  void runImportJob({ jobId, mapping, dryRun: input.dryRun, actorId }).catch(() => undefined);
  return ok({ warnings: planned.plan.warnings });
}

function flattenMapping(mapping: ImportMapping): Record<string, string> {
  return {
    ...mapping.columns,
    ...(mapping.consentPurpose ? { '@consentPurpose': mapping.consentPurpose } : {}),
  };
}

export type JobStatus = {
  id: number;
  status: ImportJobRow['status'];
  dryRun: boolean;
  totalRows: number;
  processedRows: number;
  importedRows: number;
  skippedRows: number;
  failedRows: number;
  problems: RowProblem[];
  truncatedProblems: number;
};

export async function importJobStatus(jobId: number, problemLimit = 50): Promise<JobStatus | null> {
  const job = await getImportJob(jobId);
  if (!job) return null;
  const report = parseReport(job.errorReport);
  return {
    id: job.id,
    status: job.status,
    dryRun: job.dryRun,
    totalRows: job.totalRows,
    processedRows: job.processedRows,
    importedRows: job.importedRows,
    skippedRows: job.skippedRows,
    failedRows: job.failedRows,
    problems: report.problems.slice(0, problemLimit),
    truncatedProblems: report.truncated + Math.max(0, report.problems.length - problemLimit),
  };
}

function parseReport(text: string | null): { problems: RowProblem[]; truncated: number } {
  if (!text) return { problems: [], truncated: 0 };
  try {
    return JSON.parse(text) as { problems: RowProblem[]; truncated: number };
  } catch {
    return { problems: [], truncated: 0 };
  }
}

/** The per-row report as CSV: row number, kind, field and message; no personal data. */
export async function errorReportCsv(jobId: number): Promise<string | null> {
  const job = await getImportJob(jobId);
  if (!job) return null;
  const report = parseReport(job.errorReport);
  const quote = (value: string | number) => `"${String(value).replace(/"/g, '""')}"`;
  const lines = [
    'row,kind,field,message',
    ...report.problems.map((p) => [p.row, p.kind, p.field, p.message].map(quote).join(',')),
  ];
  if (report.truncated) lines.push(`"","note","","${report.truncated} more problems not listed"`);
  return lines.join('\n') + '\n';
}
