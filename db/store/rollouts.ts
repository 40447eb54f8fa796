import type { RolloutPhase } from '@/lib/vocabulary';
import { sqlAll, sqlGet, sqlRun, type Db } from '../client';

/** An unfinished rollout of a published version (table journey_rollouts). */
export interface RolloutRecord {
  journeyId: number;
  versionId: number;
  moveRunning: boolean;
  phase: RolloutPhase;
  afterId: number;
  leaseOwner: string;
  leaseExpiresAt: number;
}

type RolloutRow = {
  journey_id: number;
  version_id: number;
  move_running: number;
  phase: RolloutPhase;
  after_id: number;
  lease_owner: string;
  lease_expires_at: number | string;
};

const COLUMNS = 'journey_id, version_id, move_running, phase, after_id, lease_owner, lease_expires_at';

function toRollout(row: RolloutRow): RolloutRecord {
  return {
    journeyId: Number(row.journey_id),
    versionId: Number(row.version_id),
    moveRunning: Number(row.move_running) === 1,
    phase: row.phase,
    afterId: Number(row.after_id),
    leaseOwner: row.lease_owner,
    leaseExpiresAt: Number(row.lease_expires_at),
  };
}

/**
 * Records that `versionId` must be rolled out, leased to `owner` (the publishing process). A newer
 * publish replaces an unfinished rollout of the same journey: it starts over for the new version.
 */
export async function startRollout(
  db: Db,
  input: {
    journeyId: number;
    versionId: number;
    moveRunning: boolean;
    owner: string;
    leaseUntil: number;
    now: number;
  },
): Promise<void> {
  await sqlRun(
    db,
    `INSERT INTO journey_rollouts (${COLUMNS}, started_at) VALUES (?, ?, ?, ?, 0, ?, ?, ?)
     ON CONFLICT (journey_id) DO UPDATE SET version_id = excluded.version_id,
       move_running = excluded.move_running, phase = excluded.phase, after_id = 0,
       lease_owner = excluded.lease_owner, lease_expires_at = excluded.lease_expires_at,
       started_at = excluded.started_at`,
    [
      input.journeyId,
      input.versionId,
      input.moveRunning ? 1 : 0,
      input.moveRunning ? 'move' : 'enroll',
      input.owner,
      input.leaseUntil,
      input.now,
    ],
  );
}

export async function findRollout(db: Db, journeyId: number): Promise<RolloutRecord | undefined> {
  const row = await sqlGet<RolloutRow>(db, `SELECT ${COLUMNS} FROM journey_rollouts WHERE journey_id = ?`, [
    journeyId,
  ]);
  return row ? toRollout(row) : undefined;
}

/** Rollouts whose process stopped renewing the lease (it died or hung). */
export async function abandonedRollouts(db: Db, now: number): Promise<RolloutRecord[]> {
  const rows = await sqlAll<RolloutRow>(
    db,
    `SELECT ${COLUMNS} FROM journey_rollouts WHERE lease_expires_at <= ? ORDER BY journey_id`,
    [now],
  );
  return rows.map(toRollout);
}

/** Takes over an abandoned rollout; false when another process took it (or renewed it) first. */
export async function takeOverRollout(
  db: Db,
  rollout: Pick<RolloutRecord, 'journeyId' | 'versionId'>,
  owner: string,
  now: number,
  leaseUntil: number,
): Promise<boolean> {
  const result = await sqlRun(
    db,
    `UPDATE journey_rollouts SET lease_owner = ?, lease_expires_at = ?
     WHERE journey_id = ? AND version_id = ? AND lease_expires_at <= ?`,
    [owner, leaseUntil, rollout.journeyId, rollout.versionId, now],
  );
  return result.changes === 1;
}

/** Moves the cursor and renews the lease, in the transaction of the page it follows. */
export async function saveRolloutProgress(
  db: Db,
  rollout: Pick<RolloutRecord, 'journeyId' | 'versionId' | 'leaseOwner' | 'phase' | 'afterId'>,
  leaseUntil: number,
): Promise<void> {
  await sqlRun(
    db,
    `UPDATE journey_rollouts SET phase = ?, after_id = ?, lease_expires_at = ?
     WHERE journey_id = ? AND version_id = ? AND lease_owner = ?`,
    [rollout.phase, rollout.afterId, leaseUntil, rollout.journeyId, rollout.versionId, rollout.leaseOwner],
  );
}

export async function finishRollout(
  db: Db,
  rollout: Pick<RolloutRecord, 'journeyId' | 'versionId' | 'leaseOwner'>,
): Promise<void> {
  await sqlRun(
    db,
    'DELETE FROM journey_rollouts WHERE journey_id = ? AND version_id = ? AND lease_owner = ?',
    [rollout.journeyId, rollout.versionId, rollout.leaseOwner],
  );
}
