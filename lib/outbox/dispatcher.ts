import { openDatabase, writeTransaction, type Db, type DbHandle } from '@/db/client';
import { appendStepNote } from '@/db/store/enrollment-positions';
import { findCustomerRuntime, type CustomerRuntime } from '@/db/store/journey-runtime';
import {
  cancelOutbox,
  claimDueOutboxIn,
  findWebhookTarget,
  markOutboxAttemptFailed,
  markOutboxSent,
  purposeKeyOfId,
  type OutboxRecord,
} from '@/db/store/outbox';
import { recordHardBounce } from '@/lib/privacy/blocks';
import { checkContactAllowed } from '@/lib/privacy/contact-check';
import { safeFetch } from '@/lib/net/safe-fetch';
import { signWebhook, WEBHOOK_SIGNATURE_HEADER } from '@/lib/webhooks/sign';
import { journeyMailRefOf, renderJourneyMail } from './journey-mail';
import { deliverMail, messageIdFor } from '@/lib/mail/transport';

export const MAX_DELIVERY_ATTEMPTS = 8;
const BASE_RETRY_MS = 30_000;
const MAX_RETRY_MS = 6 * 60 * 60 * 1000;
const WEBHOOK_TIMEOUT_MS = 10_000;
const PARALLEL_DELIVERIES = 8;

export interface DispatchOptions {
  workerId: string;
  now?: () => number;
  limit?: number;
  leaseMs?: number;
}

export interface DispatchResult {
  sent: number;
  retried: number;
  failed: number;
  cancelled: number;
}

type Attempt =
  | { kind: 'sent' }
  | { kind: 'cancelled' }
  /** bouncedAddress: the mail server refused the mail to this address permanently (SMTP 5xx). */
  | { kind: 'error'; error: string; permanent: boolean; bouncedAddress?: string };

/**
 * Delivers due outbox rows: claim with a lease, re-check the basis of marketing mail at send
 * time, deliver (SMTP / built-in outbox / signed webhook), then mark sent or schedule a retry with
 * exponential backoff. A crash after sending but before marking re-sends with the same
 * Message-ID / idempotency key (at-least-once, deduplicable).
 */
export async function dispatchDueOutbox(
  options: DispatchOptions,
  handle: DbHandle = openDatabase(),
): Promise<DispatchResult> {
  const clock = options.now ?? Date.now;
  const claimed = await writeTransaction(
    async (db) =>
      await claimDueOutboxIn(db, {
        owner: options.workerId,
        now: clock(),
        leaseMs: options.leaseMs ?? 60_000,
        limit: options.limit ?? 50,
      }),
    handle,
  );
  const result: DispatchResult = { sent: 0, retried: 0, failed: 0, cancelled: 0 };
  for (let start = 0; start < claimed.length; start += PARALLEL_DELIVERIES) {
    const chunk = claimed.slice(start, start + PARALLEL_DELIVERIES);
    const attempts = await Promise.all(
      chunk.map((row) => attemptDelivery(row, options.workerId, handle, clock)),
    );
    await writeTransaction(async (db) => {
      for (const [index, row] of chunk.entries()) {
        const attempt = attempts[index];
        if (attempt.kind === 'cancelled') {
          result.cancelled++;
        } else if (attempt.kind === 'sent') {
          if (await markOutboxSent(db, row.id, options.workerId, clock())) result.sent++;
        } else {
          const giveUp = attempt.permanent || row.attempts + 1 >= MAX_DELIVERY_ATTEMPTS;
          const retryAt = giveUp ? null : clock() + Math.min(BASE_RETRY_MS * 2 ** row.attempts, MAX_RETRY_MS);
          await markOutboxAttemptFailed(db, row.id, options.workerId, attempt.error, retryAt);
          // A permanent refusal blocks the address in the same transaction, so no journey keeps
          // mailing a dead mailbox (the contact check then says why).
          if (attempt.permanent && attempt.bouncedAddress) {
            await recordHardBounce(db, {
              customerId: row.customerId,
              address: attempt.bouncedAddress,
              detail: attempt.error,
              now: new Date(clock()),
            });
          }
          if (giveUp) result.failed++;
          else result.retried++;
        }
      }
    }, handle);
  }
  return result;
}

async function attemptDelivery(
  claimed: OutboxRecord,
  owner: string,
  handle: DbHandle,
  clock: () => number,
): Promise<Attempt> {
  try {
    if (claimed.kind === 'webhook') return await deliverWebhook(claimed, handle);
    const row = await writeTransaction(
      async (db) => await prepareForSending(db, claimed, owner, clock()),
      handle,
    );
    if (!row) return { kind: 'cancelled' };
    if (!row.toAddress || !row.subject || row.bodyText === null)
      return { kind: 'error', error: 'incomplete mail row', permanent: true };
    const delivery = await deliverMail({
      idempotencyKey: row.idempotencyKey,
      to: row.toAddress,
      subject: row.subject,
      text: row.bodyText,
      html: row.bodyHtml,
      headers: row.headers,
    });
    if (delivery.delivered) return { kind: 'sent' };
    return {
      kind: 'error',
      error: delivery.error,
      permanent: delivery.permanent,
      bouncedAddress: delivery.permanent ? row.toAddress : undefined,
    };
  } catch (error) {
    return { kind: 'error', error: error instanceof Error ? error.message : String(error), permanent: false };
  }
}

/**
 * The send-time guard, then, for a journey mail, its rendering (lib/outbox/journey-mail). Returns
 * the row to deliver, or undefined when it was cancelled.
 */
async function prepareForSending(
  db: Db,
  row: OutboxRecord,
  owner: string,
  now: number,
): Promise<OutboxRecord | undefined> {
  const guard = await sendTimeGuard(db, row, now);
  if (guard.cancelled) return undefined;
  const ref = journeyMailRefOf(row);
  if (!ref || !guard.customer) return row;
  const rendered = await renderJourneyMail(db, row, ref, guard.customer, owner, now);
  if (rendered.ok) return rendered.row;
  await cancelBeforeSending(db, row, rendered.reason, now);
  return undefined;
}

/**
 * The send-time guard: the customer must still exist, and marketing mail must still have its basis
 * (consent, no block) through the same checkContactAllowed the journey used. A refused row is
 * cancelled with the reason, and the journey's history of that customer records it.
 * Otherwise returns the customer as read here (a journey mail is rendered for them).
 */
async function sendTimeGuard(
  db: Db,
  row: OutboxRecord,
  now: number,
): Promise<{ cancelled: true } | { cancelled: false; customer?: CustomerRuntime }> {
  if (row.customerId === null) return { cancelled: false };
  const customer = await findCustomerRuntime(db, row.customerId);
  let refusal: string | undefined;
  if (!customer || customer.status === 'erased') {
    refusal = 'cancelled before sending: the customer was erased';
  } else if (row.category === 'marketing') {
    const purposeKey = row.purposeId === null ? undefined : await purposeKeyOfId(db, row.purposeId);
    if (!purposeKey) {
      refusal = 'cancelled before sending: the purpose no longer exists';
    } else {
      const decision = await checkContactAllowed(db, {
        customerId: row.customerId,
        purposeKey,
        themeKey: row.themeKey ?? undefined,
        channel: 'email',
        now: new Date(now),
      });
      if (!decision.allowed)
        refusal = `cancelled before sending: ${decision.reason.replace(/^skipped: /, '')}`;
    }
  }
  if (!refusal) return { cancelled: false, customer };
  await cancelBeforeSending(db, row, refusal, now);
  return { cancelled: true };
}

/** Cancels a claimed mail and, for a journey's mail, records why in the customer's journey history. */
async function cancelBeforeSending(db: Db, row: OutboxRecord, refusal: string, now: number) {
  await cancelOutbox(db, row.id, refusal);
  const nodeId = (row.payload as { nodeId?: unknown } | null)?.nodeId;
  if (row.enrollmentId !== null && typeof nodeId === 'string') {
    await appendStepNote(db, row.enrollmentId, {
      nodeId,
      stepType: 'send-message',
      outcome: 'cancelled-send',
      reason: refusal,
      at: now,
    });
  }
}

async function deliverWebhook(row: OutboxRecord, handle: DbHandle): Promise<Attempt> {
  const target = row.webhookId === null ? undefined : await findWebhookTarget(handle.db, row.webhookId);
  if (!target?.active) {
    await writeTransaction(
      async (db) => await cancelOutbox(db, row.id, 'the webhook was removed or deactivated'),
      handle,
    );
    return { kind: 'cancelled' };
  }
  const body = JSON.stringify(row.payload ?? {});
  const timestamp = Math.floor(Date.now() / 1000);
  const delivery = await safeFetch(target.url, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      'User-Agent': 'Tarmo-Webhooks/1',
      [WEBHOOK_SIGNATURE_HEADER]: signWebhook(target.secret, timestamp, body),
      'Idempotency-Key': row.idempotencyKey,
      'X-Tarmo-Delivery': messageIdFor(row.idempotencyKey).slice(1, -1),
    },
    body,
    timeoutMs: WEBHOOK_TIMEOUT_MS,
  });
  // Checked again at delivery (the host may resolve elsewhere since it was saved): an internal
  // address is refused for good, a network error is retried.
  if (!delivery.ok)
    return {
      kind: 'error',
      error: delivery.refused ? `refused: ${delivery.reason}` : delivery.reason,
      permanent: delivery.refused,
    };
  const { status } = delivery.response;
  if (status >= 200 && status < 300) return { kind: 'sent' };
  // 4xx other than 408/429 will not get better by retrying; neither will a redirect (not followed).
  const permanent = status >= 300 && status < 500 && status !== 408 && status !== 429;
  return { kind: 'error', error: `HTTP ${status}`, permanent };
}
