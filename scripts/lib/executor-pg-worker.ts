/**
 * A worker process of `bench:executor --store postgres` (scripts/bench-executor-pg.ts): the real
 * engine in a loop on its own pool, from a clock shared with the other workers, until no
 * enrollment runs any more; prints its report as one JSON line. BENCH_PROFILE=1 adds round trips.
 */
import pg from 'pg';

/** The enrollments' run_at in the template; the workers' clock starts there. */
export const T0 = 1_900_000_000_000;

export interface ChildReport {
  transitions: number;
  batches: number;
  failures: number;
  lastCommitAt: number;
  /** The worker process's peak resident set (kernel high-water mark), in MB. */
  peakRssMb: number;
  profile?: Record<string, unknown>;
}

/** One worker: the real engine, in a loop, until no enrollment is running any more. */
export async function benchWorker(args: string[]): Promise<void> {
  const [url, workerId, startArg, batchArg] = args;
  const startAt = Number(startArg);
  const profile = process.env.BENCH_PROFILE === '1' ? profileQueries() : undefined;
  const { openDatabase, sqlGet } = await import('@/db/client');
  const { runExecutorBatch } = await import('@/lib/executor/engine');
  const handle = openDatabase(url);
  // Warm the pool and the modules before the clock starts.
  await sqlGet(handle.db, 'SELECT count(*) AS n FROM enrollments');
  const { loadPublishedVersion } = await import('@/lib/versions/published');
  void loadPublishedVersion;
  while (Date.now() < startAt) await new Promise((resolve) => setTimeout(resolve, 1));
  const now = () => T0 + (Date.now() - startAt);
  const report: ChildReport = {
    transitions: 0,
    batches: 0,
    failures: 0,
    lastCommitAt: startAt,
    peakRssMb: 0,
  };
  profile?.reset();
  for (;;) {
    const result = await runExecutorBatch({ workerId, batchSize: Number(batchArg), now }, handle);
    if (result.claimed > 0) {
      report.transitions += result.transitions;
      report.failures += result.failures;
      report.batches++;
      report.lastCommitAt = Date.now();
      continue;
    }
    // Nothing due for this worker: done once no enrollment runs any more (others may hold the rest).
    const running = await sqlGet<{ n: number }>(
      handle.db,
      `SELECT count(*) AS n FROM enrollments WHERE state IN ('active', 'waiting')`,
    );
    if (!running || running.n === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  if (profile) report.profile = { workerId, ...profile.summary(report.transitions, report.batches) };
  report.peakRssMb = (process.resourceUsage().maxRSS * 1024) / 1048576;
  console.log(JSON.stringify(report));
  process.exit(0);
}

/** BENCH_PROFILE=1: round trips per transition and the time spent waiting on them, by statement. */
function profileQueries() {
  const byText = new Map<string, { n: number; ms: number }>();
  let waitMs = 0;
  let started = performance.now();
  const original = pg.Client.prototype.query as (...args: unknown[]) => unknown;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    const config = args[0] as string | { text: string };
    const text = (typeof config === 'string' ? config : config.text).replace(/\s+/g, ' ').slice(0, 70);
    const t = performance.now();
    const result = original.apply(this, args);
    if (result instanceof Promise) {
      void result.then(
        () => {
          const ms = performance.now() - t;
          waitMs += ms;
          const entry = byText.get(text) ?? { n: 0, ms: 0 };
          entry.n++;
          entry.ms += ms;
          byText.set(text, entry);
        },
        () => undefined,
      );
    }
    return result;
  } as typeof pg.Client.prototype.query;
  return {
    reset() {
      byText.clear();
      waitMs = 0;
      started = performance.now();
    },
    summary(transitions: number, batches: number) {
      const total = [...byText.values()].reduce((sum, entry) => sum + entry.n, 0);
      const top = [...byText.entries()]
        .sort((a, b) => b[1].ms - a[1].ms)
        .slice(0, 12)
        .map(([text, entry]) => `${entry.n}× ${entry.ms.toFixed(0)}ms ${text}`);
      return {
        roundTripsPerTransition: Number((total / Math.max(1, transitions)).toFixed(2)),
        roundTripsPerBatch: Math.round(total / Math.max(1, batches)),
        queryWaitMs: Math.round(waitMs),
        wallMs: Math.round(performance.now() - started),
        top,
      };
    },
  };
}
