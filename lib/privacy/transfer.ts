import crypto from 'node:crypto';
import type { Db } from '@/db/client';
import { insertAudit } from '@/db/store/audit';
import { purposeByKey } from '@/db/store/consent';
import { insertOutboxWebhook } from '@/db/store/privacy-outbox';
import { activeWebhookForRecipient } from '@/db/store/privacy-package';
import { checkContactAllowed } from './contact-check';
import { compileDataPackage, type DataPackage } from './data-package';

export type TransferResult = { delivered: boolean; reason: string };

/**
 * Hands the customer's data package to a named recipient of a purpose, only with consent for that
 * purpose (the single contact check decides). Delivery is a signed webhook through the outbox to
 * the endpoint registered for the recipient key; the dispatcher signs it with that webhook's secret.
 */
export async function transferToRecipient(
  db: Db,
  customerId: number,
  input: { purposeKey: string; recipientKey: string; now?: Date },
): Promise<TransferResult> {
  const now = input.now ?? new Date();
  const purpose = await purposeByKey(db, input.purposeKey);
  if (!purpose) return { delivered: false, reason: `not delivered: unknown purpose ${input.purposeKey}` };
  const recipient = purpose.recipients.find(
    (r) => r.key === input.recipientKey || r.name === input.recipientKey,
  );
  if (!recipient)
    return {
      delivered: false,
      reason: `not delivered: ${input.recipientKey} is not a recipient of ${purpose.name}`,
    };
  const decision = await checkContactAllowed(db, { customerId, purposeKey: purpose.key });
  if (!decision.allowed)
    return {
      delivered: false,
      reason: `not delivered to ${recipient.name}: ${decision.reason.replace(/^skipped: /, '')}`,
    };
  const hook = await activeWebhookForRecipient(db, recipient.key);
  if (!hook)
    return { delivered: false, reason: `not delivered: no endpoint is set up for ${recipient.name}` };

  const transferId = crypto.randomUUID();
  await insertOutboxWebhook(db, {
    idempotencyKey: `transfer:${transferId}`,
    webhookId: hook.id,
    customerId,
    payload: {
      id: transferId,
      type: 'data.transfer',
      createdAt: now.toISOString(),
      data: {
        recipient: recipient.key,
        purpose: purpose.key,
        // The receipts stay with the person: their URLs are the person's own links.
        package: withoutReceipts(await compileDataPackage(db, customerId, now)),
      },
    },
    now,
  });
  await insertAudit(db, {
    actorType: 'system',
    action: 'transfer.queued',
    targetType: 'customer',
    targetId: customerId,
    details: { recipient: recipient.key, purpose: purpose.key, webhookId: hook.id, transferId },
  });
  return {
    delivered: true,
    reason: `delivered your data to ${recipient.name} (${decision.reason.replace(/^allowed: /, '')})`,
  };
}

function withoutReceipts(pkg: DataPackage): Omit<DataPackage, 'receipts'> {
  const { receipts: _receipts, ...rest } = pkg;
  return rest;
}
