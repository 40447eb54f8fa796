import { writeTransaction, type Db, type DbHandle } from '@/db/client';
import { markOutboxAttemptFailed, markOutboxSentMany, type OutboxRecord } from '@/db/store/outbox';
import { endSendSlotsIn } from '@/lib/delivery/rate-limit';
import { recordHardBounce } from '@/lib/privacy/blocks';
import type { Attempt } from './delivery';

export const MAX_DELIVERY_ATTEMPTS = 8;
const BASE_RETRY_MS = 30_000;
const MAX_RETRY_MS = 6 * 60 * 60 * 1000;

export interface DispatchResult {
  sent: number;
  retried: number;
  failed: number;
  cancelled: number;
  /** Put back until later by the send-time guard (not an attempt). */
  deferred: number;
}

/** Exponential backoff per attempt, at most six hours. */
export function retryDelay(row: OutboxRecord): number {
  return Math.min(BASE_RETRY_MS * 2 ** row.attempts, MAX_RETRY_MS);
}

type PendingOutcome = {
  row: OutboxRecord;
  attempt: Attempt;
  done: () => void;
  failed: (error: unknown) => void;
};

/**
 * Records delivery outcomes as they happen: an outcome waits only for the commit already running
 * (if any); everything that arrived meanwhile is committed together in the next transaction.
 * So a mail is recorded sent within about one commit of the server accepting it.
 */
export class OutcomeRecorder {
  private pending: PendingOutcome[] = [];
  private flushing = false;

  constructor(
    private readonly handle: DbHandle,
    private readonly owner: string,
    private readonly clock: () => number,
    private readonly result: DispatchResult,
  ) {}

  record(row: OutboxRecord, attempt: Attempt): Promise<void> {
    return new Promise((done, failed) => {
      this.pending.push({ row, attempt, done, failed });
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    try {
      while (this.pending.length > 0) {
        const outcomes = this.pending.splice(0);
        try {
          await this.commit(outcomes);
          for (const outcome of outcomes) outcome.done();
        } catch (error) {
          for (const outcome of outcomes) outcome.failed(error);
        }
      }
    } finally {
      this.flushing = false;
    }
  }

  /** One transaction for these outcomes, tried again while the database is busy. */
  private async commit(outcomes: PendingOutcome[]): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        const counts = await writeTransaction(async (db) => await this.write(db, outcomes), this.handle);
        for (const key of Object.keys(counts) as (keyof DispatchResult)[]) this.result[key] += counts[key];
        return;
      } catch (error) {
        if (attempt >= 5 || !isTransientDbError(error)) throw error;
        await new Promise((resolve) => setTimeout(resolve, 20 * attempt));
      }
    }
  }

  private async write(db: Db, outcomes: PendingOutcome[]): Promise<DispatchResult> {
    const counts: DispatchResult = { sent: 0, retried: 0, failed: 0, cancelled: 0, deferred: 0 };
    const now = this.clock();
    const sent: number[] = [];
    await endSendSlotsIn(
      db,
      outcomes.map(({ attempt }) => attempt.slotId),
    );
    for (const { row, attempt } of outcomes) {
      if (attempt.kind === 'cancelled') counts.cancelled++;
      else if (attempt.kind === 'deferred') counts.deferred++;
      else if (attempt.kind === 'sent') sent.push(row.id);
      else {
        const giveUp = attempt.permanent || row.attempts + 1 >= MAX_DELIVERY_ATTEMPTS;
        await markOutboxAttemptFailed(
          db,
          row.id,
          this.owner,
          attempt.error,
          giveUp ? null : now + retryDelay(row),
        );
        // A permanent refusal blocks the address in the same transaction, so no journey keeps
        // mailing a dead mailbox (the contact check then says why).
        if (attempt.permanent && attempt.bouncedAddress) {
          await recordHardBounce(db, {
            customerId: row.customerId,
            address: attempt.bouncedAddress,
            detail: attempt.error,
            now: new Date(now),
          });
        }
        if (giveUp) counts.failed++;
        else counts.retried++;
      }
    }
    counts.sent = await markOutboxSentMany(db, sent, this.owner, now);
    return counts;
  }
}

/** SQLite busy/locked, a PostgreSQL deadlock or serialization failure: nothing committed, try again. */
function isTransientDbError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return (
    typeof code === 'string' &&
    (code.startsWith('SQLITE_BUSY') || code === 'SQLITE_LOCKED' || code === '40P01' || code === '40001')
  );
}
