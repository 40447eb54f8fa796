import { openDatabase, writeTransaction, type Db, type DbHandle } from '@/db/client';
import type { MessagePurpose } from '@/db/store/messages';
import {
  claimDueOutboxIn,
  markOutboxAttemptFailed,
  renewOutboxLeases,
  type OutboxRecord,
} from '@/db/store/outbox';
import { decideDelivery, recordPolicyDecision } from '@/lib/delivery/policy';
import { appEnv } from '@/lib/config/env';
import { observeSends } from '@/lib/operations/metrics';
import { smtpConcurrency } from '@/lib/mail/transport';
import { attemptDelivery } from './delivery';
import { journeyMailRefOf, renderJourneyMail } from './journey-mail';
import { MAX_DELIVERY_ATTEMPTS, OutcomeRecorder, retryDelay, type DispatchResult } from './outcomes';
import { applyGuardRefusal, cancelBeforeSending, SendBatch, sendTimeGuard } from './send-guard';

/** Deliveries at once without SMTP (the built-in outbox and webhooks). */
const PARALLEL_DELIVERIES = 8;
const DEFAULT_LIMIT = 500;
const DEFAULT_CLAIM_BATCH = 100;

export interface DispatchOptions {
  workerId: string;
  now?: () => number;
  /** The most mails and webhooks this call claims (default 500). */
  limit?: number;
  /** Claimed, guarded and rendered per transaction (default 100). */
  batchSize?: number;
  leaseMs?: number;
  /**
   * Deliveries in flight at once: TARMO_SMTP_CONCURRENCY (one per pooled SMTP connection) when
   * SMTP_URL is set, else 8.
   */
  concurrency?: number;
}

/**
 * Delivers due outbox rows (SMTP / built-in outbox / signed webhook) in a pipeline:
 *
 * 1. One transaction claims a batch with a lease (up to `batchSize`), runs the send-time guard
 *    for each mail (lib/outbox/send-guard: per customer and per mail, over facts read once for the
 *    batch) and renders the journey mails that pass (the MJML compiled once per template
 *    version, Liquid per customer). Refused mails are cancelled or deferred in that transaction.
 * 2. `concurrency` delivery slots take the ready mails; each slot hands one mail to the server,
 *    and once the server accepted it, records it sent before taking the next (the records of
 *    the slots are committed together). The next batch is claimed while this one is sent.
 *
 * At-least-once, with a bounded in-flight window: a worker killed at any moment leaves at most
 * `concurrency` mails (TARMO_SMTP_CONCURRENCY) that the server may have accepted but Tarmo has
 * not recorded; they go out again after their lease ran out, with the same Message-ID (derived
 * from the outbox row), so a receiver can drop the repeat. Claimed mails that were not handed over
 * are sent once, after the lease.
 */
export async function dispatchDueOutbox(
  options: DispatchOptions,
  handle: DbHandle = openDatabase(),
): Promise<DispatchResult> {
  const clock = options.now ?? Date.now;
  const limit = options.limit ?? DEFAULT_LIMIT;
  const batchSize = Math.max(1, Math.min(options.batchSize ?? DEFAULT_CLAIM_BATCH, limit));
  const concurrency = options.concurrency ?? (appEnv().SMTP_URL ? smtpConcurrency() : PARALLEL_DELIVERIES);
  const leaseMs = options.leaseMs ?? 60_000;
  const result: DispatchResult = { sent: 0, retried: 0, failed: 0, cancelled: 0, deferred: 0 };
  const recorder = new OutcomeRecorder(handle, options.workerId, clock, result);

  // Claimed rows waiting for a slot, with when their lease runs out (by this process's clock).
  const queue: { row: OutboxRecord; leaseUntil: number }[] = [];
  let claimedSoFar = 0;
  let exhausted = false;
  let producing: Promise<void> | undefined;
  let failure: unknown;

  const claimNext = async () => {
    const want = Math.min(batchSize, limit - claimedSoFar);
    if (want <= 0) {
      exhausted = true;
      return;
    }
    const now = clock();
    const claim = await writeTransaction(
      async (db) => await claimAndPrepare(db, { owner: options.workerId, now, leaseMs, limit: want, result }),
      handle,
    );
    claimedSoFar += claim.claimed;
    if (claim.claimed < want) exhausted = true;
    for (const row of claim.ready) queue.push({ row, leaseUntil: now + leaseMs });
  };

  // The next mail for a slot; claims the next batch when the queue runs low.
  const next = async (): Promise<{ row: OutboxRecord; leaseUntil: number } | undefined> => {
    for (;;) {
      if (failure !== undefined) return undefined;
      if (!producing && !exhausted && queue.length <= batchSize / 2)
        producing = claimNext()
          .catch((error: unknown) => {
            failure = error;
          })
          .finally(() => {
            producing = undefined;
          });
      const item = queue.shift();
      if (item) return item;
      if (producing) await producing;
      else return undefined;
    }
  };

  // Mails still waiting when half their lease is gone get a fresh lease (one statement for the
  // whole queue), so a slow server never lets a lease run out under a mail not yet sent.
  let renewing: Promise<void> | undefined;
  const renewLeases = async () => {
    const now = clock();
    const held = await writeTransaction(
      async (db) =>
        await renewOutboxLeases(
          db,
          queue.map((item) => item.row.id),
          options.workerId,
          now + leaseMs,
        ),
      handle,
    );
    for (let index = queue.length - 1; index >= 0; index--) {
      if (held.has(queue[index]!.row.id)) queue[index]!.leaseUntil = now + leaseMs;
      else queue.splice(index, 1);
    }
  };
  const slot = async () => {
    for (let item = await next(); item; item = await next()) {
      if (clock() > item.leaseUntil - leaseMs / 2) {
        queue.unshift(item);
        // Not renewed (e.g. a busy database): the mails are left to their lease and claimed again.
        renewing ??= renewLeases()
          .catch(() => void queue.splice(0))
          .finally(() => (renewing = undefined));
        await renewing;
        continue;
      }
      const attempt = await attemptDelivery(item.row, handle, options.workerId, clock, leaseMs);
      await recorder.record(item.row, attempt);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, slot));
  observeSends(result);
  // A claim that failed (e.g. a busy database) committed nothing; its mails stay due.
  if (failure !== undefined) throw failure;
  return result;
}

/**
 * One claim transaction: claim up to `limit` due rows, read the facts the guard needs for all of
 * them, then guard and render each mail (in a savepoint of its own, so one mail that cannot be
 * prepared is retried later without undoing the others). Returns the rows ready to deliver.
 */
async function claimAndPrepare(
  db: Db,
  options: { owner: string; now: number; leaseMs: number; limit: number; result: DispatchResult },
): Promise<{ claimed: number; ready: OutboxRecord[] }> {
  const { owner, now, result } = options;
  const claimed = await claimDueOutboxIn(db, options);
  const mails = claimed.filter((row) => row.kind === 'email');
  const batch = await SendBatch.prefetch(db, mails, now);
  const purposes = new Map<string, Promise<MessagePurpose | undefined>>();
  const ready: OutboxRecord[] = [];
  for (const row of claimed) {
    if (row.kind !== 'email') {
      ready.push(row);
      continue;
    }
    try {
      const prepared = await writeTransaction(
        async (savepoint) => await prepareForSending(savepoint, row, batch, owner, purposes),
        db,
      );
      if (prepared.kind === 'ready') ready.push(prepared.row);
      else result[prepared.kind]++;
    } catch (error) {
      // Rolled back to the savepoint: counts as a failed attempt, retried with backoff.
      const message = error instanceof Error ? error.message : String(error);
      const giveUp = row.attempts + 1 >= MAX_DELIVERY_ATTEMPTS;
      await markOutboxAttemptFailed(db, row.id, owner, message, giveUp ? null : now + retryDelay(row));
      result[giveUp ? 'failed' : 'retried']++;
    }
  }
  return { claimed: claimed.length, ready };
}

/**
 * The send-time guard for one claimed mail, then, for a journey mail, its rendering
 * (lib/outbox/journey-mail). Refusals are applied here (cancel with the reason in the journey's
 * history, or defer).
 */
async function prepareForSending(
  db: Db,
  row: OutboxRecord,
  batch: SendBatch,
  owner: string,
  purposes: Map<string, Promise<MessagePurpose | undefined>>,
): Promise<{ kind: 'ready'; row: OutboxRecord } | { kind: 'cancelled' | 'deferred' }> {
  const decision = await sendTimeGuard(row, batch);
  if (decision.verdict !== 'send') {
    await applyGuardRefusal(db, row, decision, batch.now);
    return { kind: decision.verdict === 'defer' ? 'deferred' : 'cancelled' };
  }
  // The workspace delivery policy (cap, quiet hours) for all journeys together (lib/delivery).
  const policy = await decideDelivery(db, { row, timeZone: decision.customer?.timeZone, now: batch.now });
  await recordPolicyDecision(db, row, owner, policy, batch.now);
  if (policy.action !== 'send') return { kind: policy.action === 'hold' ? 'deferred' : 'cancelled' };
  if (row.customerId !== null)
    batch.approvedPerCustomer.set(row.customerId, (batch.approvedPerCustomer.get(row.customerId) ?? 0) + 1);
  const ref = journeyMailRefOf(row);
  if (!ref || !decision.customer) return { kind: 'ready', row };
  const rendered = await renderJourneyMail(db, row, ref, decision.customer, owner, batch.now, purposes);
  if (rendered.ok) return { kind: 'ready', row: rendered.row };
  await cancelBeforeSending(db, row, rendered.reason, batch.now);
  return { kind: 'cancelled' };
}
