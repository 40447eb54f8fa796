import { and, asc, eq, inArray, isNotNull, isNull, lt, lte, notInArray, or, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { idempotencyKeys, importJobs, lifecycleJobRuns, outbox, purposes, tokens } from '../schema';

export type LifecycleJobRunRow = typeof lifecycleJobRuns.$inferSelect;

export async function listLifecycleJobRuns(db: Db): Promise<LifecycleJobRunRow[]> {
  return await db.select().from(lifecycleJobRuns).orderBy(asc(lifecycleJobRuns.job)).all();
}

/**
 * Claims a job's run: true for exactly one caller once it is due (several workers may share the
 * database), moving its next run on by `everyMs` before the job runs.
 */
export async function claimLifecycleJob(db: Db, job: string, now: Date, everyMs: number): Promise<boolean> {
  const next = new Date(now.getTime() + everyMs);
  const inserted = await db
    .insert(lifecycleJobRuns)
    .values({ job, lastRunAt: now, nextRunAt: next })
    .onConflictDoNothing()
    .run();
  if (inserted.changes > 0) return true;
  const claimed = await db
    .update(lifecycleJobRuns)
    .set({ nextRunAt: next })
    .where(and(eq(lifecycleJobRuns.job, job), lte(lifecycleJobRuns.nextRunAt, now)))
    .run();
  return claimed.changes > 0;
}

export async function recordLifecycleJobRun(
  db: Db,
  job: string,
  run: { at: Date; durationMs: number; pruned: number; error: string | null },
): Promise<void> {
  await db
    .update(lifecycleJobRuns)
    .set({
      lastRunAt: run.at,
      lastDurationMs: run.durationMs,
      lastPruned: run.pruned,
      totalPruned: sql`${lifecycleJobRuns.totalPruned} + ${run.pruned}`,
      lastError: run.error,
    })
    .where(eq(lifecycleJobRuns.job, job))
    .run();
}

/** Cached API answers older than the replay window. */
export async function pruneIdempotencyKeysBefore(db: Db, before: Date): Promise<number> {
  return (await db.delete(idempotencyKeys).where(lt(idempotencyKeys.createdAt, before)).run()).changes;
}

/** Customer link tokens that expired (and were handled) before `before`. */
export async function pruneTokensExpiredBefore(db: Db, before: Date): Promise<number> {
  return (await db.delete(tokens).where(lt(tokens.expiresAt, before)).run()).changes;
}

/**
 * Delivered, failed or cancelled outbox rows older than `before` keep the fact (who, which purpose,
 * when, status: frequency caps and records need it) and lose their content: address, subject,
 * bodies, headers, payload. Purposes under a legal retention duty keep theirs.
 */
export async function emptyOldOutboxContent(db: Db, before: Date): Promise<number> {
  const dutyPurposeIds = (
    await db.select({ id: purposes.id }).from(purposes).where(isNotNull(purposes.retentionDuty)).all()
  ).map((p) => p.id);
  return (
    await db
      .update(outbox)
      .set({ toAddress: null, subject: null, bodyText: null, bodyHtml: null, headers: null, payload: null })
      .where(
        and(
          inArray(outbox.status, ['sent', 'failed', 'cancelled']),
          lt(outbox.createdAt, before),
          or(
            isNotNull(outbox.toAddress),
            isNotNull(outbox.bodyText),
            isNotNull(outbox.bodyHtml),
            isNotNull(outbox.payload),
          ),
          dutyPurposeIds.length
            ? or(isNull(outbox.purposeId), notInArray(outbox.purposeId, dutyPurposeIds))
            : undefined,
        ),
      )
      .run()
  ).changes;
}

/** The import jobs whose upload may still be on disk: id, status, dry run, created. */
export async function importJobsForFiles(db: Db, ids: number[]) {
  if (ids.length === 0) return [];
  return await db
    .select({
      id: importJobs.id,
      status: importJobs.status,
      dryRun: importJobs.dryRun,
      createdAt: importJobs.createdAt,
    })
    .from(importJobs)
    .where(inArray(importJobs.id, ids))
    .all();
}
