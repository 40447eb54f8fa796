import type { Db } from '@/db/client';
import { sqlRun } from '@/db/client';

/** Liveness row per worker (Mission Control shows when each was last seen). */
export async function writeHeartbeat(
  db: Db,
  workerId: string,
  startedAt: number,
  now: number,
): Promise<void> {
  await sqlRun(
    db,
    `INSERT INTO worker_heartbeats (worker_id, at, started_at, paused) VALUES (?, ?, ?, 0)
     ON CONFLICT (worker_id) DO UPDATE SET at = excluded.at`,
    [workerId, now, startedAt],
  );
}

export async function removeHeartbeat(db: Db, workerId: string): Promise<void> {
  await sqlRun(db, 'DELETE FROM worker_heartbeats WHERE worker_id = ?', [workerId]);
}
