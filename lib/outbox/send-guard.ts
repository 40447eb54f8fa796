import type { Db } from '@/db/client';
import { appendStepNote } from '@/db/store/enrollment-positions';
import { findCustomersRuntime, type CustomerRuntime } from '@/db/store/journey-runtime';
import { cancelOutbox, deferOutbox, purposeKeyOfId, type OutboxRecord } from '@/db/store/outbox';
import { BatchContactFacts } from '@/lib/privacy/batch-contact-facts';
import { decideContact } from '@/lib/privacy/contact-check';

/**
 * The send-time guard: asked once per mail, just before it is rendered and handed to the mail
 * server, inside the transaction that claimed it. The dispatcher claims many mails per
 * transaction (lib/outbox/dispatcher); the facts the guard needs for all of them (customers,
 * consent states, blocks) are read once per claim (SendBatch), the decision stays per customer
 * and per mail.
 *
 * What a guard may answer: send it (with the customer as read here, to render for), cancel it for
 * good (with a reason the journey's history shows), or defer it to a later time (e.g. a delivery
 * policy: quiet hours, a frequency cap, a rate limit), without counting an attempt.
 */
export type GuardDecision =
  | { verdict: 'send'; customer?: CustomerRuntime }
  | { verdict: 'cancel'; reason: string }
  | { verdict: 'defer'; until: number; reason: string };

/** What one claim transaction knows about its mails, shared by the guard calls of that claim. */
export class SendBatch {
  readonly contactFacts: BatchContactFacts;
  /** Mails this claim already let through, per customer (in claim order): for caps within a batch. */
  readonly approvedPerCustomer = new Map<number, number>();
  private customers = new Map<number, CustomerRuntime>();
  private readonly purposeKeys = new Map<number, string | undefined>();

  private constructor(
    readonly db: Db,
    readonly now: number,
  ) {
    this.contactFacts = new BatchContactFacts(db);
  }

  /** Reads the facts of the claimed rows' customers: three queries for the whole claim. */
  static async prefetch(db: Db, rows: readonly OutboxRecord[], now: number): Promise<SendBatch> {
    const batch = new SendBatch(db, now);
    const ids = [...new Set(rows.flatMap((row) => (row.customerId === null ? [] : [row.customerId])))];
    if (ids.length > 0) {
      batch.customers = await findCustomersRuntime(db, ids);
      await batch.contactFacts.prefetch(ids, batch.customers.values());
    }
    return batch;
  }

  customer(customerId: number): CustomerRuntime | undefined {
    return this.customers.get(customerId);
  }

  /** A purpose's key by id, read once per claim. */
  async purposeKey(purposeId: number): Promise<string | undefined> {
    if (!this.purposeKeys.has(purposeId))
      this.purposeKeys.set(purposeId, await purposeKeyOfId(this.db, purposeId));
    return this.purposeKeys.get(purposeId);
  }
}

/**
 * The guard for one claimed mail: the customer must still exist, and marketing mail must still
 * have its basis (consent, no block) through the same decision the journey used
 * (checkContactAllowed's decideContact, over the claim's prefetched facts).
 */
export async function sendTimeGuard(row: OutboxRecord, batch: SendBatch): Promise<GuardDecision> {
  if (row.customerId === null) return { verdict: 'send' };
  const customer = batch.customer(row.customerId);
  if (!customer || customer.status === 'erased')
    return { verdict: 'cancel', reason: 'cancelled before sending: the customer was erased' };
  if (row.category === 'marketing') {
    const purposeKey = row.purposeId === null ? undefined : await batch.purposeKey(row.purposeId);
    if (!purposeKey)
      return { verdict: 'cancel', reason: 'cancelled before sending: the purpose no longer exists' };
    const decision = await decideContact(batch.contactFacts, {
      customerId: row.customerId,
      purposeKey,
      themeKey: row.themeKey ?? undefined,
      channel: 'email',
      now: new Date(batch.now),
    });
    if (!decision.allowed)
      return {
        verdict: 'cancel',
        reason: `cancelled before sending: ${decision.reason.replace(/^skipped: /, '')}`,
      };
  }
  return { verdict: 'send', customer };
}

/** Applies a cancel or defer decision to a claimed mail, in the claim's transaction. */
export async function applyGuardRefusal(
  db: Db,
  row: OutboxRecord,
  decision: Exclude<GuardDecision, { verdict: 'send' }>,
  now: number,
): Promise<void> {
  if (decision.verdict === 'defer') {
    await deferOutbox(db, row.id, decision.until, decision.reason);
    return;
  }
  await cancelBeforeSending(db, row, decision.reason, now);
}

/** Cancels a claimed mail and, for a journey's mail, records why in the customer's journey history. */
export async function cancelBeforeSending(db: Db, row: OutboxRecord, refusal: string, now: number) {
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
