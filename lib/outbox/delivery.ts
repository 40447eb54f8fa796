import { writeTransaction, type DbHandle } from '@/db/client';
import { cancelOutbox, findWebhookTarget, type OutboxRecord } from '@/db/store/outbox';
import { recordPolicyDecision } from '@/lib/delivery/policy';
import { acquireSendSlot, currentProvider } from '@/lib/delivery/rate-limit';
import { deliverMail, messageIdFor } from '@/lib/mail/transport';
import { safeFetch } from '@/lib/net/safe-fetch';
import { signWebhook, WEBHOOK_SIGNATURE_HEADER } from '@/lib/webhooks/sign';

/**
 * One delivery attempt of a claimed outbox row: a mail handed to the SMTP server (after a
 * send-rate slot) or a signed webhook POST. Runs outside the claim transaction; the dispatcher
 * records the outcome (lib/outbox/outcomes).
 */

const WEBHOOK_TIMEOUT_MS = 10_000;

/** slotId: the send-rate slot the delivery took (lib/delivery/rate-limit), ended when recorded. */
export type Attempt = (
  | { kind: 'sent' }
  | { kind: 'cancelled' }
  /** The provider's send-rate limit gave the mail back to the queue. */
  | { kind: 'deferred' }
  /** bouncedAddress: the mail server refused the mail to this address permanently (SMTP 5xx). */
  | { kind: 'error'; error: string; permanent: boolean; bouncedAddress?: string }
) & { slotId?: number | null };

export async function attemptDelivery(
  row: OutboxRecord,
  handle: DbHandle,
  owner: string,
  clock: () => number,
  leaseMs: number,
): Promise<Attempt> {
  let slotId: number | null = null;
  try {
    if (row.kind === 'webhook') return await deliverWebhook(row, handle);
    if (!row.toAddress || !row.subject || row.bodyText === null)
      return { kind: 'error', error: 'incomplete mail row', permanent: true };
    // The provider's send-rate limit, shared by every worker: waits for a slot, or gives it back.
    const slot = await acquireSendSlot(handle, currentProvider(), { inFlightMs: leaseMs });
    if (!slot.ok) {
      const hold = { action: 'hold' as const, until: slot.retryAt, reason: slot.reason };
      await writeTransaction(async (db) => await recordPolicyDecision(db, row, owner, hold, clock()), handle);
      return { kind: 'deferred' };
    }
    slotId = slot.slotId;
    const delivery = await deliverMail({
      idempotencyKey: row.idempotencyKey,
      to: row.toAddress,
      subject: row.subject,
      text: row.bodyText,
      html: row.bodyHtml,
      headers: row.headers,
    });
    if (delivery.delivered) return { kind: 'sent', slotId };
    return {
      kind: 'error',
      error: delivery.error,
      permanent: delivery.permanent,
      bouncedAddress: delivery.permanent ? row.toAddress : undefined,
      slotId,
    };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { kind: 'error', error: message, permanent: false, slotId };
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
