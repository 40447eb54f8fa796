import { getDb } from '@/db/client';
import { listLifecycleJobRuns } from '@/db/store/lifecycle';
import { LIFECYCLE_JOBS } from './jobs';
import { FILE_AREAS, TABLE_LIFECYCLE, type DataLifecycle } from './registry';

export type LifecycleJobView = {
  key: string;
  title: string;
  everyMinutes: number;
  lastRunAt: Date | null;
  lastPruned: number;
  totalPruned: number;
  lastError: string | null;
  nextRunAt: Date | null;
};

export type LifecycleOverview = {
  jobs: LifecycleJobView[];
  tables: (DataLifecycle & { name: string })[];
  fileAreas: (DataLifecycle & { name: string; where: string })[];
};

/** Settings → Data lifecycle: the registry with each prune job's last and next run. */
export async function dataLifecycleOverview(): Promise<LifecycleOverview> {
  const runs = new Map((await listLifecycleJobRuns(getDb())).map((r) => [r.job, r]));
  return {
    jobs: LIFECYCLE_JOBS.map((job) => {
      const run = runs.get(job.key);
      return {
        key: job.key,
        title: job.title,
        everyMinutes: Math.round(job.everyMs / 60_000),
        lastRunAt: run?.lastRunAt ?? null,
        lastPruned: run?.lastPruned ?? 0,
        totalPruned: run?.totalPruned ?? 0,
        lastError: run?.lastError ?? null,
        nextRunAt: run?.nextRunAt ?? null,
      };
    }),
    tables: Object.entries(TABLE_LIFECYCLE)
      .map(([name, entry]) => ({ name, ...entry }))
      .sort((a, b) => a.name.localeCompare(b.name)),
    fileAreas: Object.entries(FILE_AREAS).map(([name, { matches: _matches, ...entry }]) => ({
      name,
      ...entry,
    })),
  };
}
