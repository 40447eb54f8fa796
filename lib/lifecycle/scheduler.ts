import { openDatabase, writeTransaction, type DbHandle } from '@/db/client';
import { claimLifecycleJob, listLifecycleJobRuns, recordLifecycleJobRun } from '@/db/store/lifecycle';
import { LIFECYCLE_JOBS, type LifecycleJob } from './jobs';
import { log } from '@/lib/config/log';

export type JobOutcome = { job: string; pruned: number; error: string | null };

/**
 * Runs every prune job that is due, one after another, each claimed first so that several
 * workers on one database run it once. A failing job is recorded and retried at its next run;
 * it never stops the others or the journeys.
 */
export async function runDueLifecycleJobs(
  handle: DbHandle = openDatabase(),
  now = new Date(),
  jobs: readonly LifecycleJob[] = LIFECYCLE_JOBS,
): Promise<JobOutcome[]> {
  const runs = new Map((await listLifecycleJobRuns(handle.db)).map((r) => [r.job, r]));
  const outcomes: JobOutcome[] = [];
  for (const job of jobs) {
    const last = runs.get(job.key);
    if (last && last.nextRunAt > now) continue;
    const claimed = await writeTransaction(
      async (db) => await claimLifecycleJob(db, job.key, now, job.everyMs),
      handle,
    );
    if (!claimed) continue;
    const started = performance.now();
    let pruned = 0;
    let error: string | null = null;
    try {
      pruned = await job.run(now);
    } catch (failure) {
      // The message only: it names the failure, never the data it was working on.
      error = failure instanceof Error ? failure.message.slice(0, 300) : 'failed';
      log().error({ job: job.key, err: error }, 'lifecycle job failed');
    }
    await writeTransaction(
      async (db) =>
        await recordLifecycleJobRun(db, job.key, {
          at: now,
          durationMs: Math.round(performance.now() - started),
          pruned,
          error,
        }),
      handle,
    );
    outcomes.push({ job: job.key, pruned, error });
  }
  return outcomes;
}
