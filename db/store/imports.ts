import { eq } from 'drizzle-orm';
import { getDb, writeTransaction, type Db } from '../client';
import { importJobs } from '../schema';

export type ImportJobRow = typeof importJobs.$inferSelect;

export async function createImportJob(input: {
  fileName: string;
  createdBy: number | null;
}): Promise<ImportJobRow> {
  return await getDb()
    .insert(importJobs)
    .values({
      status: 'pending',
      dryRun: true,
      fileName: input.fileName,
      mapping: {},
      createdBy: input.createdBy,
    })
    .returning()
    .get();
}

export async function getImportJob(id: number): Promise<ImportJobRow | undefined> {
  return await getDb().select().from(importJobs).where(eq(importJobs.id, id)).get();
}

export async function setImportTotal(id: number, totalRows: number): Promise<void> {
  await getDb().update(importJobs).set({ totalRows }).where(eq(importJobs.id, id)).run();
}

/** Starts a run (dry or real) from zero; refused while another run of the job is going. */
export async function startImportRun(
  id: number,
  input: { dryRun: boolean; mapping: Record<string, string> },
): Promise<boolean> {
  const db = getDb();
  return await db.transaction(async (tx) => {
    const job = await tx
      .select({ status: importJobs.status })
      .from(importJobs)
      .where(eq(importJobs.id, id))
      .get();
    if (!job || job.status === 'running') return false;
    await tx
      .update(importJobs)
      .set({
        status: 'running',
        dryRun: input.dryRun,
        mapping: input.mapping,
        processedRows: 0,
        importedRows: 0,
        skippedRows: 0,
        failedRows: 0,
        errorReport: null,
        finishedAt: null,
      })
      .where(eq(importJobs.id, id))
      .run();
    return true;
  });
}

export type ImportProgress = {
  processedRows: number;
  importedRows: number;
  skippedRows: number;
  failedRows: number;
};

export async function saveImportProgress(id: number, progress: ImportProgress): Promise<void> {
  await getDb().update(importJobs).set(progress).where(eq(importJobs.id, id)).run();
}

export async function finishImportJob(
  id: number,
  result: ImportProgress & { status: 'done' | 'failed'; errorReport: string },
): Promise<void> {
  await getDb()
    .update(importJobs)
    .set({ ...result, finishedAt: new Date() })
    .where(eq(importJobs.id, id))
    .run();
}

/**
 * Runs fn as a SAVEPOINT inside the caller's open write transaction (a nested writeTransaction),
 * so one bad row rolls back alone and the batch goes on.
 */
export async function withSavepoint<T>(db: Db, fn: () => Promise<T>): Promise<T> {
  return await writeTransaction(fn, db);
}
