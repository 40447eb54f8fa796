import crypto from 'node:crypto';
import { readTransaction, writeTransaction, type Db } from '@/db/client';
import {
  countSoftBounces,
  customerIdsByAddress,
  deliverabilityRates,
  insertDeliverabilityNotification,
  latestMailToAddress,
  outboxMailById,
  requeueSentMail,
  setNotificationBlock,
  type SentMailRef,
} from '@/db/store/delivery';
import { sqlAll } from '@/db/client';
import { persistentSecret } from '@/lib/config/env';
import { safeFetch } from '@/lib/net/safe-fetch';
import { messageIdFor } from '@/lib/mail/transport';
import { recordComplaint, recordHardBounce, setContactBlock } from '@/lib/privacy/blocks';
import { recordConsentEvent } from '@/lib/privacy/ledger';
import type { DeliverabilityKind } from '@/lib/vocabulary/delivery';
import type { DeliverabilityEvent } from '@/lib/deliverability/notifications';
import { channelPolicy } from './policy';

/**
 * What a bounce or complaint does, whichever way it arrived (provider API notification or an
 * inbound DSN): the raw notification is kept as evidence (deliverability_notifications, pruned
 * after its retention), then
 * - a hard bounce blocks the address (historized block, lib/privacy/blocks);
 * - a soft bounce sends the mail again later, and blocks the address after the workspace's
 *   soft-bounce limit within 30 days (Settings → Delivery policy);
 * - a complaint blocks all contact with the customer and is recorded in the consent ledger as a
 *   withdrawal of the consent the mail was sent for, with the notification as evidence.
 * The mail is found by the outbox id, by Message-ID among the mails to that address, or as the
 * latest mail sent to the address.
 */

const DAY_MS = 24 * 60 * 60 * 1000;
const SOFT_BOUNCE_WINDOW_MS = 30 * DAY_MS;
const SOFT_RETRY_MS = 30 * 60 * 1000;
const MAX_SOFT_RETRIES = 3;

export interface DeliverabilityOutcome {
  notificationId: number;
  kind: DeliverabilityKind;
  customerId: number | null;
  outboxId: number | null;
  blockId: number | null;
  /** The ledger event recording a complaint as a withdrawal. */
  withdrawalEventId: number | null;
  /** A soft bounce put the mail back in the queue. */
  retried: boolean;
}

/** The shared secret of the endpoint (TARMO_DELIVERABILITY_SECRET, else generated into data/secrets). */
export function deliverabilitySecret(): string {
  return persistentSecret('deliverability-secret');
}

/** Constant-time check of a presented secret (compares digests, so lengths leak nothing either). */
export function secretMatches(presented: string | undefined | null): boolean {
  if (!presented) return false;
  const digest = (value: string) => crypto.createHash('sha256').update(value, 'utf8').digest();
  return crypto.timingSafeEqual(digest(presented), digest(deliverabilitySecret()));
}

async function findMail(db: Db, event: DeliverabilityEvent): Promise<SentMailRef | undefined> {
  if (event.outboxId) {
    const mail = await outboxMailById(db, event.outboxId);
    if (mail && (!mail.toAddress || mail.toAddress.toLowerCase() === event.address)) return mail;
  }
  if (event.messageId) {
    const wanted = event.messageId.trim().toLowerCase();
    const candidates = await sqlAll<{ id: number; idempotency_key: string }>(
      db,
      "SELECT id, idempotency_key FROM outbox WHERE kind = 'email' AND lower(to_address) = ? ORDER BY id DESC LIMIT 500",
      [event.address],
    );
    const match = candidates.find((row) => messageIdFor(row.idempotency_key).toLowerCase() === wanted);
    if (match) return await outboxMailById(db, Number(match.id));
  }
  return await latestMailToAddress(db, event.address);
}

/** Records one bounce or complaint, in the caller's transaction. */
export async function recordDeliverabilityEvent(
  db: Db,
  input: { provider: string; event: DeliverabilityEvent; raw: string; now?: Date },
): Promise<DeliverabilityOutcome> {
  const now = input.now ?? new Date();
  const { event } = input;
  const mail = await findMail(db, event);
  const customerId = mail?.customerId ?? (await customerIdsByAddress(db, event.address))[0] ?? null;
  const notificationId = await insertDeliverabilityNotification(db, {
    provider: input.provider,
    kind: event.kind,
    customerId,
    outboxId: mail?.id ?? null,
    purposeId: mail?.purposeId ?? null,
    address: event.address,
    detail: event.detail,
    raw: input.raw.slice(0, 200_000),
    receivedAt: now.getTime(),
  });
  const evidence = `${input.provider} notification ${notificationId}: ${event.detail}`;
  const outcome: DeliverabilityOutcome = {
    notificationId,
    kind: event.kind,
    customerId,
    outboxId: mail?.id ?? null,
    blockId: null,
    withdrawalEventId: null,
    retried: false,
  };

  if (event.kind === 'hard-bounce') {
    const block = await recordHardBounce(db, { customerId, address: event.address, detail: evidence, now });
    if (block.ok) outcome.blockId = block.value.blockId;
  } else if (event.kind === 'soft-bounce') {
    const limit = (await channelPolicy(db, 'email')).softBounceLimit;
    const count = await countSoftBounces(db, event.address, now.getTime() - SOFT_BOUNCE_WINDOW_MS);
    if (count >= limit) {
      const block = await recordHardBounce(db, {
        customerId,
        address: event.address,
        detail: `${count} soft bounces in 30 days (limit ${limit}); last: ${evidence}`,
        now,
      });
      if (block.ok) outcome.blockId = block.value.blockId;
    } else if (mail && mail.status === 'sent' && mail.attempts <= MAX_SOFT_RETRIES) {
      outcome.retried = await requeueSentMail(
        db,
        mail.id,
        now.getTime() + SOFT_RETRY_MS * 2 ** Math.max(0, count - 1),
        `soft bounce (${count} of ${limit}): ${event.detail}`,
      );
    }
  } else {
    const block = customerId
      ? await recordComplaint(db, { customerId, detail: evidence, now })
      : await setContactBlock(db, {
          address: event.address,
          scope: 'address',
          reason: 'complaint',
          evidence: `Complaint: ${evidence}`,
          setBy: 'system:complaint',
          now,
        });
    if (block.ok) outcome.blockId = block.value.blockId;
    // The complaint withdraws the consent for the purpose the mail was sent for, all its themes
    // included (the ledger keeps the notification as evidence).
    if (customerId && mail?.purposeId && mail.category === 'marketing') {
      const withdrawal = await recordConsentEvent(db, {
        customerId,
        purposeId: mail.purposeId,
        action: 'withdraw',
        source: 'system',
        evidence: {
          kind: 'complaint',
          provider: input.provider,
          notificationId,
          outboxId: mail.id,
          messageId: messageIdFor(mail.idempotencyKey),
          detail: event.detail,
        },
        occurredAt: now,
      });
      outcome.withdrawalEventId = withdrawal.eventId;
    }
  }
  if (outcome.blockId) await setNotificationBlock(db, notificationId, outcome.blockId);
  return outcome;
}

/** Records every event of one notification in one transaction. */
export async function recordDeliverabilityEvents(
  provider: string,
  events: readonly DeliverabilityEvent[],
  raw: string,
): Promise<DeliverabilityOutcome[]> {
  return await writeTransaction(async (db) => {
    const outcomes: DeliverabilityOutcome[] = [];
    for (const event of events) outcomes.push(await recordDeliverabilityEvent(db, { provider, event, raw }));
    return outcomes;
  });
}

/**
 * Confirms an Amazon SNS subscription by visiting its SubscribeURL, already checked to be an SNS
 * host (lib/delivery/notifications), through lib/net/safe-fetch (no internal addresses, no
 * redirects followed).
 */
export async function confirmSnsSubscription(
  subscribeUrl: string,
): Promise<{ ok: boolean; reason?: string }> {
  const response = await safeFetch(subscribeUrl, { method: 'GET', timeoutMs: 10_000 });
  if (!response.ok) return { ok: false, reason: response.reason };
  const { status } = response.response;
  return status >= 200 && status < 300 ? { ok: true } : { ok: false, reason: `HTTP ${status}` };
}

/** The secret a request presents: `Authorization: Bearer <secret>`, Basic (the password), or X-Tarmo-Secret. */
export function presentedSecret(headers: Headers): string | undefined {
  const direct = headers.get('x-tarmo-secret');
  if (direct) return direct;
  const authorization = headers.get('authorization') ?? '';
  const [scheme, value] = authorization.split(/\s+/, 2);
  if (!value) return undefined;
  if (scheme.toLowerCase() === 'bearer') return value;
  if (scheme.toLowerCase() === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon >= 0 ? decoded.slice(colon + 1) : undefined;
  }
  return undefined;
}

export interface PurposeDeliverability {
  purposeName: string;
  sent: number;
  hardBounces: number;
  softBounces: number;
  complaints: number;
  /** Per cent of mail sent in the period, one decimal; null with nothing sent. */
  bounceRate: number | null;
  complaintRate: number | null;
}

/** Mission Control: bounce and complaint rates per purpose over the last `days` days. */
export async function deliverabilityByPurpose(days = 30, now = Date.now()): Promise<PurposeDeliverability[]> {
  const rates = await readTransaction(async (db) => await deliverabilityRates(db, now - days * DAY_MS));
  const percent = (part: number, whole: number) =>
    whole > 0 ? Math.round((part / whole) * 1000) / 10 : null;
  return rates
    .filter((rate) => rate.sent + rate.hardBounces + rate.softBounces + rate.complaints > 0)
    .map((rate) => ({
      purposeName:
        rate.purposeName ??
        (rate.purposeId === null ? 'Other mail (opt-in, privacy, tests)' : 'Removed purpose'),
      sent: rate.sent,
      hardBounces: rate.hardBounces,
      softBounces: rate.softBounces,
      complaints: rate.complaints,
      bounceRate: percent(rate.hardBounces + rate.softBounces, rate.sent),
      complaintRate: percent(rate.complaints, rate.sent),
    }));
}
