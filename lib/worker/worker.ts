import crypto from 'node:crypto';
import os from 'node:os';
import { openDatabase, writeTransaction } from '@/db/client';
import { watchWork } from '@/db/work-signal';
import { dispatchDueOutbox } from '@/lib/outbox/dispatcher';
import { closeSmtpPool } from '@/lib/mail/transport';
import { runDueLifecycleJobs } from '@/lib/lifecycle/scheduler';
import { runExecutorBatch } from '@/lib/executor/engine';
import { removeHeartbeat, writeHeartbeat } from '@/lib/executor/heartbeat';
import { resumeAbandonedRollouts } from '@/lib/executor/rollout';
import { notifyWork, sleepUntilWork } from '@/lib/executor/wake';
import { log } from '@/lib/config/log';
import { startBounceListenerFromEnv } from '@/lib/delivery/bounce-smtp';

export interface WorkerOptions {
  workerId?: string;
  pollMs?: number;
  batchSize?: number;
  leaseMs?: number;
  /** Stop once nothing is due (tests and benchmarks); a service worker runs until SIGTERM. */
  exitWhenIdle?: boolean;
  signal?: AbortSignal;
}

/** How often a worker writes its heartbeat (readiness expects one within TARMO_WORKER_HEARTBEAT_EXPIRY_MS). */
function heartbeatMs(): number {
  const value = Number(process.env.TARMO_WORKER_HEARTBEAT_MS);
  return Number.isFinite(value) && value > 0 ? value : 5_000;
}
/** How often the loop looks for due data-lifecycle jobs (each job has its own schedule). */
const LIFECYCLE_CHECK_MS = 15_000;
/** Rollouts a dead process left unfinished are looked for at start and then every 5 s. */
const ROLLOUT_CHECK_MS = 5_000;

/**
 * The worker loop: run due transitions, dispatch due mail and webhooks, finish publish rollouts a
 * dead process left behind (lib/executor/rollout), and run the data-lifecycle
 * jobs when due (expire stale opt-ins, purge archived journeys, exports, import uploads, rate-limit
 * windows, cached answers, tokens, old outbox content; checkpoint the ledger; see
 * lib/lifecycle). SIGTERM/SIGINT finish the current round and exit cleanly; a SIGKILL
 * mid-round loses nothing (leases expire, work is redone).
 */
export async function runWorker(options: WorkerOptions = {}): Promise<void> {
  const workerId =
    options.workerId || `${os.hostname()}-${process.pid}-${crypto.randomBytes(3).toString('hex')}`;
  const pollMs =
    options.pollMs && options.pollMs > 0 ? options.pollMs : Number(process.env.TARMO_WORKER_POLL_MS || 500);
  const leaseMs = options.leaseMs ?? Number(process.env.TARMO_WORKER_LEASE_MS || 30_000);
  // A mail's lease must outlast its slowest SMTP delivery, or a second worker could send it again.
  const outboxLeaseMs = Number(process.env.TARMO_OUTBOX_LEASE_MS || Math.max(leaseMs, 60_000));
  const batchSize = options.batchSize ?? Number(process.env.TARMO_WORKER_BATCH_SIZE || 200);
  const handle = openDatabase();
  const startedAt = Date.now();
  let stopping = false;
  const stop = () => {
    stopping = true;
  };
  // on, not once: a process-group signal and tsx's relay can deliver SIGTERM twice, and the
  // second must not kill the round being committed.
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  options.signal?.addEventListener('abort', stop);

  // Another process (the web app, another worker) that makes work due wakes this loop at once.
  const work = watchWork(handle, notifyWork);
  const heartbeatEvery = heartbeatMs();
  // Bounce reports by SMTP (TARMO_BOUNCE_SMTP_PORT), for a service worker only.
  const bounceListener = options.exitWhenIdle ? undefined : await startBounceListenerFromEnv();
  let lastHeartbeat = 0;
  let lastLifecycleCheck = 0;
  let lastRolloutCheck = 0;
  try {
    while (!stopping) {
      let busy = false;
      try {
        const now = Date.now();
        if (now - lastHeartbeat >= heartbeatEvery) {
          await writeTransaction(async (db) => await writeHeartbeat(db, workerId, startedAt, now), handle);
          lastHeartbeat = now;
        }
        if (now - lastLifecycleCheck >= LIFECYCLE_CHECK_MS) {
          lastLifecycleCheck = now;
          await lifecycleJobs(handle);
        }
        if (now - lastRolloutCheck >= ROLLOUT_CHECK_MS) {
          lastRolloutCheck = now;
          await resumeRollouts(handle);
        }
        const batch = await runExecutorBatch({ workerId, leaseMs, batchSize }, handle);
        const mail = await dispatchDueOutbox({ workerId, leaseMs: outboxLeaseMs }, handle);
        busy =
          batch.claimed > 0 || mail.sent + mail.retried + mail.failed + mail.cancelled + mail.deferred > 0;
      } catch (error) {
        // A busy database (SQLite: another writer past busy_timeout; PostgreSQL: a deadlock or
        // serialization failure) is transient: nothing of the round committed, so the next round
        // simply tries again.
        if (!isBusyError(error)) throw error;
        log().warn('worker round skipped: database busy');
      }
      if (busy) {
        // Let timers and signals run between rounds.
        await new Promise((resolve) => setImmediate(resolve));
        continue;
      }
      if (options.exitWhenIdle) break;
      await sleepUntilWork(pollMs);
    }
  } finally {
    await work.close();
    await bounceListener?.close();
    closeSmtpPool();
    await writeTransaction(async (db) => await removeHeartbeat(db, workerId), handle);
    process.off('SIGTERM', stop);
    process.off('SIGINT', stop);
  }
}

async function lifecycleJobs(handle: ReturnType<typeof openDatabase>): Promise<void> {
  try {
    await runDueLifecycleJobs(handle);
  } catch (error) {
    // Each job records its own failure; this catches the scheduler's own (e.g. a busy database).
    // Prune jobs must not stop journeys; they run again at the next check.
    log().error({ err: error }, 'worker lifecycle jobs failed');
  }
}

/** Finishes rollouts (publish: move running customers, enroll the target group) whose process died. */
async function resumeRollouts(handle: ReturnType<typeof openDatabase>): Promise<void> {
  try {
    const finished = await resumeAbandonedRollouts(Date.now(), handle);
    if (finished.length > 0) log().info({ journeys: finished }, 'worker finished abandoned rollouts');
  } catch (error) {
    // Like a batch: a busy database is retried at the next check; journeys keep running.
    if (isBusyError(error)) return;
    log().error({ err: error }, 'worker rollout resume failed');
  }
}

/**
 * A transient conflict that the next round simply retries: SQLite busy/locked, or on PostgreSQL a
 * detected deadlock (40P01) or serialization failure (40001), which roll back the whole transaction.
 */
export function isBusyError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return (
    code === 'SQLITE_BUSY' ||
    code === 'SQLITE_BUSY_SNAPSHOT' ||
    code === 'SQLITE_LOCKED' ||
    code === '40P01' ||
    code === '40001'
  );
}
