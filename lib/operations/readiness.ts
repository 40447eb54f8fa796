import { getDb } from '@/db/client';
import { databaseAnswers } from '@/db/store/health';
import { listWorkerHeartbeats, migrationsCurrent, readOperationalFigures } from '@/db/store/operations';

/**
 * `GET /api/health/ready`: may this instance take traffic. Ready when the database answers, every
 * committed migration is applied, and at least one worker's heartbeat is fresh (younger than
 * TARMO_WORKER_HEARTBEAT_EXPIRY_MS, default 30 s; TARMO_READY_REQUIRE_WORKER=0 drops this check).
 * Outbox lag (the oldest due row's age) is reported, and fails readiness only beyond
 * TARMO_READY_MAX_OUTBOX_LAG_S when that is set. `/api/health` stays the cheap liveness probe.
 */
export type Readiness = {
  ready: boolean;
  checks: {
    database: { ok: boolean };
    migrations: { ok: boolean; applied?: number; expected?: number };
    workers: {
      ok: boolean;
      expiryMs: number;
      required: boolean;
      seen: { workerId: string; lastSeen: string; ageMs: number; fresh: boolean }[];
    };
    outbox: { ok: boolean; lagSeconds?: number; maxLagSeconds?: number; depth?: number };
  };
};

function positiveNumber(raw: string | undefined, fallback: number): number {
  const value = Number(raw);
  return raw && Number.isFinite(value) && value > 0 ? value : fallback;
}

export function heartbeatExpiryMs(): number {
  return positiveNumber(process.env.TARMO_WORKER_HEARTBEAT_EXPIRY_MS, 30_000);
}

export async function readiness(now = Date.now()): Promise<Readiness> {
  const expiryMs = heartbeatExpiryMs();
  const required = process.env.TARMO_READY_REQUIRE_WORKER !== '0';
  const maxLagRaw = process.env.TARMO_READY_MAX_OUTBOX_LAG_S;
  const maxLagSeconds = maxLagRaw ? positiveNumber(maxLagRaw, Infinity) : undefined;
  const checks: Readiness['checks'] = {
    database: { ok: await databaseAnswers() },
    migrations: { ok: false },
    workers: { ok: false, expiryMs, required, seen: [] },
    outbox: { ok: false },
  };
  if (checks.database.ok) {
    const db = getDb();
    try {
      const migrations = await migrationsCurrent(db);
      checks.migrations = {
        ok: migrations.current,
        applied: migrations.applied,
        expected: migrations.expected,
      };
    } catch {
      checks.migrations = { ok: false };
    }
    const heartbeats = await listWorkerHeartbeats(db);
    const seen = heartbeats.map((beat) => ({
      workerId: beat.workerId,
      lastSeen: new Date(beat.lastSeen).toISOString(),
      ageMs: Math.max(0, now - beat.lastSeen),
      fresh: now - beat.lastSeen <= expiryMs,
    }));
    checks.workers = { ok: !required || seen.some((beat) => beat.fresh), expiryMs, required, seen };
    const figures = await readOperationalFigures(db, now);
    const lagSeconds = Math.max(0, ...figures.outbox.map((row) => row.oldestAgeMs)) / 1000;
    const depth = figures.outbox.reduce((sum, row) => sum + row.depth, 0);
    checks.outbox = {
      ok: maxLagSeconds === undefined || lagSeconds <= maxLagSeconds,
      lagSeconds,
      depth,
      ...(maxLagSeconds !== undefined ? { maxLagSeconds } : {}),
    };
  }
  return { ready: Object.values(checks).every((check) => check.ok), checks };
}
