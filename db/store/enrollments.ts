import { type Db, sqlGet, sqlRun } from '../client';
import { signalWork } from '../work-signal';
import type { EnrollmentRecord } from './enrollment-records';
import { insertStepEvent } from './enrollment-positions';

/**
 * The lifecycle of an enrollment: a customer enters a journey, ends it, is retried after a
 * failure, moves to a new version, and the per-enrollment data is purged after archival. Reads
 * are in enrollment-records.ts, the executor's hot path in enrollment-positions.ts.
 */

export interface NewEnrollment {
  journeyId: number;
  versionId: number;
  customerId: number;
  nodeId: string;
  context: Record<string, unknown>;
  testMode: boolean;
  now: number;
}

export async function insertEnrollment(db: Db, enrollment: NewEnrollment): Promise<number> {
  const row = (await sqlGet(
    db,
    `INSERT INTO enrollments (journey_id, version_id, customer_id, node_id, state, run_at, seq, attempts, context, test_mode, entered_at, updated_at)
     VALUES (@journeyId, @versionId, @customerId, @nodeId, 'active', @now, 0, 0, @context, @testMode, @now, @now) RETURNING id`,
    {
      ...enrollment,
      context: JSON.stringify(enrollment.context),
      testMode: enrollment.testMode ? 1 : 0,
    },
  )) as { id: number };
  await signalWork(db);
  return row.id;
}

/**
 * Ends an enrollment from outside its own steps (goal reached, erasure, archival): one step_event
 * with the reason, seq + 1 so a worker holding a lease on it sees the change and skips it.
 */
export async function endEnrollment(
  db: Db,
  enrollment: Pick<EnrollmentRecord, 'id' | 'journeyId' | 'versionId' | 'customerId' | 'nodeId' | 'seq'>,
  end: {
    state: 'completed' | 'exited' | 'cancelled';
    outcome: string;
    reason: string;
    stepType: string;
    now: number;
  },
): Promise<boolean> {
  const changed = await sqlRun(
    db,
    `UPDATE enrollments SET state = @state, seq = seq + 1, ended_at = @now, updated_at = @now, wait_key = NULL,
       lease_owner = NULL, lease_expires_at = NULL
     WHERE id = @id AND seq = @seq AND state IN ('active', 'waiting', 'failed')`,
    { state: end.state, now: end.now, id: enrollment.id, seq: enrollment.seq },
  );
  if (changed.changes === 0) return false;
  await insertStepEvent(db, {
    enrollmentId: enrollment.id,
    seq: enrollment.seq + 1,
    journeyId: enrollment.journeyId,
    versionId: enrollment.versionId,
    customerId: enrollment.customerId,
    nodeId: enrollment.nodeId,
    stepType: end.stepType,
    outcome: end.outcome,
    reason: end.reason,
    at: end.now,
  });
  return true;
}

/** Moves a dead-lettered enrollment back into the queue at the step it failed on. */
export async function resetFailedEnrollment(db: Db, id: number, now: number): Promise<boolean> {
  const result = await sqlRun(
    db,
    `UPDATE enrollments SET state = 'active', attempts = 0, last_error = NULL, run_at = ?, updated_at = ?, ended_at = NULL,
       lease_owner = NULL, lease_expires_at = NULL WHERE id = ? AND state = 'failed'`,
    [now, now, id],
  );
  if (result.changes === 0) return false;
  await signalWork(db);
  return true;
}

/** Moves running enrollments to another version of the same journey (node ids match). */
export async function moveEnrollmentsToVersion(
  db: Db,
  ids: number[],
  versionId: number,
  now: number,
): Promise<void> {
  for (const id of ids)
    await sqlRun(db, 'UPDATE enrollments SET version_id = ?, updated_at = ? WHERE id = ?', [
      versionId,
      now,
      id,
    ]);
}

/** Archival purge: per-enrollment data goes, aggregate counts in journey_node_stats stay. */
export async function purgeJourneyEnrollmentData(
  db: Db,
  journeyId: number,
): Promise<{ enrollments: number; stepEvents: number }> {
  const stepEvents = (await sqlRun(db, 'DELETE FROM step_events WHERE journey_id = ?', [journeyId])).changes;
  const removed = (
    await sqlRun(
      db,
      `DELETE FROM enrollments WHERE journey_id = ? AND state IN ('completed', 'exited', 'cancelled', 'failed')`,
      [journeyId],
    )
  ).changes;
  return { enrollments: removed, stepEvents };
}
