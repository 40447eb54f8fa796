import fs from 'node:fs';
import path from 'node:path';
import { dialectOf, sqlAll, sqlGet, type Db } from '../client';
import { SQLITE_MIGRATIONS } from '../migrate';
import { PG_MIGRATIONS } from '../pg/migrate';

/** What an operator watches, read in a few indexed queries (per scrape or readiness check, never per row). */
export type OperationalFigures = {
  /** Age of the oldest enrollment that is due and not yet run (0 when none is due). */
  executorLagMs: number;
  outbox: { kind: string; depth: number; oldestAgeMs: number }[];
  importJobsRunning: number;
};

export async function readOperationalFigures(db: Db, now: number): Promise<OperationalFigures> {
  const due = (await sqlGet(
    db,
    `SELECT MIN(run_at) AS oldest FROM enrollments WHERE state IN ('active', 'waiting') AND run_at <= ?`,
    [now],
  )) as { oldest: number | null } | undefined;
  const outbox = (await sqlAll(
    db,
    `SELECT kind, COUNT(*) AS depth, MIN(next_attempt_at) AS oldest FROM outbox
       WHERE status IN ('queued', 'sending') GROUP BY kind`,
  )) as { kind: string; depth: number; oldest: number | null }[];
  const imports = (await sqlGet(
    db,
    `SELECT COUNT(*) AS running FROM import_jobs WHERE status IN ('pending', 'running')`,
  )) as { running: number } | undefined;
  return {
    executorLagMs: due?.oldest != null ? Math.max(0, now - Number(due.oldest)) : 0,
    outbox: outbox.map((row) => ({
      kind: row.kind,
      depth: Number(row.depth),
      oldestAgeMs: row.oldest != null ? Math.max(0, now - Number(row.oldest)) : 0,
    })),
    importJobsRunning: Number(imports?.running ?? 0),
  };
}

export type WorkerHeartbeat = { workerId: string; lastSeen: number; startedAt: number };

export async function listWorkerHeartbeats(db: Db): Promise<WorkerHeartbeat[]> {
  const rows = (await sqlAll(
    db,
    'SELECT worker_id, at, started_at FROM worker_heartbeats ORDER BY worker_id',
  )) as { worker_id: string; at: number; started_at: number }[];
  return rows.map((row) => ({
    workerId: row.worker_id,
    lastSeen: Number(row.at),
    startedAt: Number(row.started_at),
  }));
}

/**
 * Whether every committed migration of this store's dialect is applied: the newest applied
 * migration's stamp (drizzle's `created_at`, the journal's `when`) is the newest in the folder.
 */
export async function migrationsCurrent(
  db: Db,
): Promise<{ current: boolean; applied: number; expected: number }> {
  const postgres = dialectOf(db) === 'postgres';
  const journal = JSON.parse(
    fs.readFileSync(
      path.join(
        /*turbopackIgnore: true*/ postgres ? PG_MIGRATIONS : SQLITE_MIGRATIONS,
        'meta',
        '_journal.json',
      ),
      'utf8',
    ),
  ) as { entries: { when: number }[] };
  const expected = Math.max(0, ...journal.entries.map((entry) => entry.when));
  const table = postgres ? 'drizzle.__drizzle_migrations' : '__drizzle_migrations';
  const row = await sqlGet<{ latest: number | null }>(db, `SELECT MAX(created_at) AS latest FROM ${table}`);
  const applied = Number(row?.latest ?? 0);
  return { current: applied >= expected, applied, expected };
}
