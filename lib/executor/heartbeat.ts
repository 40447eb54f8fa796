import type { Db } from '@/db/client';
import { prepared } from '@/db/store/enrollments';

/** Liveness row per worker (Mission Control shows when each was last seen). */
export function writeHeartbeatSync(db: Db, workerId: string, startedAt: number, now: number): void {
  prepared(
    db,
    `INSERT INTO worker_heartbeats (worker_id, at, started_at, paused) VALUES (?, ?, ?, 0)
     ON CONFLICT (worker_id) DO UPDATE SET at = excluded.at`,
  ).run(workerId, now, startedAt);
}

export function removeHeartbeatSync(db: Db, workerId: string): void {
  prepared(db, 'DELETE FROM worker_heartbeats WHERE worker_id = ?').run(workerId);
}
