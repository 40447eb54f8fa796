import crypto from 'node:crypto';
import os from 'node:os';
import { openDatabase, writeTransaction } from '@/db/client';
import { watchWork } from '@/db/work-signal';
import { dispatchDueOutbox } from '@/lib/mail/dispatcher';
import { purgeExpiredExports } from '@/lib/privacy/exports';
import { expireStaleOptIns } from '@/lib/privacy/optin';
import { runExecutorBatch } from './engine';
import { removeHeartbeat, writeHeartbeat } from './heartbeat';
import { purgeArchivedJourneys } from './lifecycle';
import { notifyWork, sleepUntilWork } from './wake';

export interface WorkerOptions {
  workerId?: string;
  pollMs?: number;
  batchSize?: number;
  leaseMs?: number;
  /** Stop once nothing is due (tests and benchmarks); a service worker runs until SIGTERM. */
  exitWhenIdle?: boolean;
  signal?: AbortSignal;
}

const HEARTBEAT_MS = 5_000;
const HOUSEKEEPING_MS = 60_000;
/** Expired data-export files are deleted at start and then every 10 minutes. */
const EXPORT_PURGE_MS = 10 * 60_000;

/**
 * The worker loop: run due transitions, dispatch due mail and webhooks, and once a minute expire
 * stale opt-ins and purge archived journeys past retention. SIGTERM/SIGINT finish the current
 * round and exit cleanly; a SIGKILL mid-round loses nothing (leases expire, work is redone).
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
  let lastHeartbeat = 0;
  let lastHousekeeping = 0;
  let lastExportPurge = 0;
  try {
    while (!stopping) {
      let busy = false;
      try {
        const now = Date.now();
        if (now - lastHeartbeat >= HEARTBEAT_MS) {
          await writeTransaction(async (db) => await writeHeartbeat(db, workerId, startedAt, now), handle);
          lastHeartbeat = now;
        }
        if (now - lastHousekeeping >= HOUSEKEEPING_MS) {
          lastHousekeeping = now;
          await housekeeping();
        }
        if (now - lastExportPurge >= EXPORT_PURGE_MS) {
          lastExportPurge = now;
          await purgeExports();
        }
        const batch = await runExecutorBatch({ workerId, leaseMs, batchSize }, handle);
        const mail = await dispatchDueOutbox({ workerId, leaseMs: outboxLeaseMs }, handle);
        busy = batch.claimed > 0 || mail.sent + mail.retried + mail.failed + mail.cancelled > 0;
      } catch (error) {
        // A busy database (SQLite: another writer past busy_timeout; PostgreSQL: a deadlock or
        // serialization failure) is transient: nothing of the round committed, so the next round
        // simply tries again.
        if (!isBusyError(error)) throw error;
        console.error('worker round skipped: database busy');
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
    await writeTransaction(async (db) => await removeHeartbeat(db, workerId), handle);
    process.off('SIGTERM', stop);
    process.off('SIGINT', stop);
  }
}

async function housekeeping(): Promise<void> {
  try {
    await expireStaleOptIns(new Date());
    await purgeArchivedJourneys();
  } catch (error) {
    // Housekeeping must not stop journeys; it runs again in a minute.
    console.error('worker housekeeping failed:', error instanceof Error ? error.message : error);
  }
}

async function purgeExports(): Promise<void> {
  try {
    await purgeExpiredExports();
  } catch (error) {
    // Like housekeeping: a failed purge is retried at the next interval, journeys keep running.
    console.error('worker export purge failed:', error instanceof Error ? error.message : error);
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
