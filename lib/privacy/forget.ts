import fs from 'node:fs';
import type { Db } from '@/db/client';
import { redactDeliverabilityNotifications } from '@/db/store/delivery';
import { getDb, openDatabase, writeTransaction } from '@/db/client';
import { deliverMail } from '@/lib/mail/transport';
import { erasureReceiptMail } from '@/lib/mail/templates/privacy-mails';
import { insertAudit } from '@/db/store/audit';
import { redactBlocksOf } from '@/db/store/blocks';
import { listPurposes, redactEvidenceOf } from '@/db/store/consent';
import {
  cancelEnrollmentsOf,
  deleteCachedResponsesMentioning,
  deleteEventsOf,
  dutyPurposeIdsWithRecords,
  eraseProfile,
  eraseStepEventContextOf,
  redactRequestDetails,
} from '@/db/store/privacy-erasure';
import { eraseOutboxOf } from '@/db/store/privacy-outbox';
import { customerById, insertTombstone, tombstoneExists } from '@/db/store/privacy-customers';
import { liveExportsOf, markExportsDeleted } from '@/db/store/privacy-package';
import { setRequestReceipt } from '@/db/store/privacy-requests';
import { deleteTokensOf } from '@/db/store/tokens';
import { deleteReceiptsOf } from '@/db/store/receipts';
import { enqueueWebhookEvent } from '@/lib/webhooks/enqueue';
import { tombstoneHash } from './crypto';
import { exportFilePath } from './exports';
import { recordRedactionsOf } from './ledger-checkpoints';
import { deleteUploadsMentioning } from '@/lib/files/import-uploads';
import { err, ok, type Failure, type Result } from '@/lib/result';

export type ErasureReceipt = {
  customerId: number;
  erasedAt: string;
  outcome: 'erased' | 'restricted';
  erased: Record<string, number>;
  /** Purposes whose records are kept under a legal retention duty, with the reason. */
  restricted: { purpose: string; reason: string }[];
  enrollmentsStopped: number;
  filesDeleted: number;
};

export type ForgetOptions = {
  /** Who asked: 'user:<id>', 'customer', 'journey', 'api-key:<id>'… */
  actor?: string;
  requestId?: number | null;
  source?: 'journey' | 'staff' | 'api' | 'preference-center';
  notifyConnectedSystems?: boolean;
  enrollmentId?: number;
  now?: Date;
};

export type ForgetResult = Result<
  { receipt: ErasureReceipt; filesToDelete: string[] },
  Failure<'unknown_customer' | 'erased_customer'>
>;

/**
 * Art. 17 in one transaction: personal data leaves every table (profile, events, mail bodies and
 * addresses, step context, tokens, evidence details, exports, cached responses), all journeys stop,
 * queued mail is cancelled, a keyed-hash tombstone keeps imports from bringing the address back,
 * connected systems hear 'customer.erased'. Records under a legal retention duty are restricted
 * instead (kept, locked, named in the receipt). Export files are deleted here too.
 */
export async function forgetCustomer(
  db: Db,
  customerId: number,
  options: ForgetOptions = {},
): Promise<ForgetResult> {
  const now = options.now ?? new Date();
  const customer = await customerById(db, customerId);
  if (!customer) return err('unknown_customer', 'unknown customer');
  if (customer.status === 'erased') return err('erased_customer', 'already erased');
  const address = customer.email;

  const dutyPurposes = (await listPurposes(db)).filter((p) => p.retentionDuty);
  const keptPurposeIds = await dutyPurposeIdsWithRecords(
    db,
    customerId,
    dutyPurposes.map((p) => p.id),
  );
  const restricted = dutyPurposes
    .filter((p) => keptPurposeIds.includes(p.id))
    .map((p) => ({ purpose: p.key, reason: p.retentionDuty ?? '' }));
  const outcome = restricted.length ? 'restricted' : 'erased';

  const exportsToDelete = await liveExportsOf(db, customerId);
  await markExportsDeleted(
    db,
    exportsToDelete.map((e) => e.id),
    now,
  );
  const enrollmentsStopped = await cancelEnrollmentsOf(db, customerId, now);
  const erased: Record<string, number> = {
    events: await deleteEventsOf(db, customerId),
    outbox: await eraseOutboxOf(db, customerId, address, keptPurposeIds),
    stepEventContexts: await eraseStepEventContextOf(db, customerId),
    tokens: await deleteTokensOf(db, customerId),
    consentEvidence: await redactEvidenceOf(db, customerId, now),
    // The chain records the redaction, so a verifier can tell it from deleted evidence.
    ledgerRedactions: await recordRedactionsOf(db, customerId, now),
    // Receipts are the person's copy; Tarmo keeps none once they asked to be forgotten.
    consentReceipts: await deleteReceiptsOf(db, customerId),
    blocks: await redactBlocksOf(db, customerId, address),
    privacyRequests: await redactRequestDetails(db, customerId, address),
    cachedResponses: await deleteCachedResponsesMentioning(db, address, customerId),
    bounceEvidence: await redactDeliverabilityNotifications(db, customerId, address),
    exports: exportsToDelete.length,
    importUploads: address ? deleteUploadsMentioning(address) : 0,
  };
  await eraseProfile(db, customerId, outcome, now);
  if (address && !(await tombstoneExists(db, tombstoneHash(address))))
    await insertTombstone(db, tombstoneHash(address), `erased ${now.toISOString().slice(0, 10)}`);

  const receipt: ErasureReceipt = {
    customerId,
    erasedAt: now.toISOString(),
    outcome,
    erased,
    restricted,
    enrollmentsStopped,
    filesDeleted: exportsToDelete.length,
  };
  await insertAudit(db, {
    actorType: options.actor?.startsWith('user:')
      ? 'user'
      : options.actor === 'customer'
        ? 'customer'
        : 'system',
    actorId: options.actor ?? options.source ?? 'system',
    action: 'customer.erased',
    targetType: 'customer',
    targetId: customerId,
    details: { ...receipt, requestId: options.requestId ?? null, enrollmentId: options.enrollmentId ?? null },
  });
  if (options.requestId)
    await setRequestReceipt(db, options.requestId, receipt as unknown as Record<string, unknown>);
  if (options.notifyConnectedSystems !== false) {
    await enqueueWebhookEvent(
      db,
      'customer.erased',
      {
        customerId,
        externalId: customer.externalId,
        outcome,
        erasedAt: receipt.erasedAt,
        requestId: options.requestId ?? null,
      },
      now,
    );
  }
  // Deleted now rather than after commit: callers inside a journey's transaction cannot do it later,
  // and if the transaction rolls back the only loss is a download link that was being erased anyway.
  const filesToDelete = exportsToDelete.map((e) => exportFilePath(e.fileName));
  for (const file of filesToDelete) fs.rmSync(file, { force: true });
  return ok({ receipt, filesToDelete });
}

/**
 * forgetCustomer in its own transaction, then the files, then a WAL checkpoint so the erased
 * values are not left in the write-ahead log (secure_delete already zeroes freed pages).
 */
export async function eraseCustomer(
  customerId: number,
  options: ForgetOptions & { sendReceipt?: boolean } = {},
): Promise<ForgetResult> {
  const contact = options.sendReceipt ? await receiptContact(customerId) : null;
  const result = await writeTransaction(async (db) => await forgetCustomer(db, customerId, options));
  if (result.ok) {
    for (const file of result.value.filesToDelete) fs.rmSync(file, { force: true });
    checkpointDatabase();
    if (contact) await sendErasureReceipt(contact, result.value.receipt);
  }
  return result;
}

/** Who to send the erasure receipt to, read before the erasure (afterwards the address is gone). */
export async function receiptContact(customerId: number): Promise<{ email: string; locale: string } | null> {
  const customer = await customerById(getDb(), customerId);
  return customer?.email && customer.status !== 'erased'
    ? { email: customer.email, locale: customer.locale }
    : null;
}

/**
 * Mails the erasure receipt straight to the person, not through the outbox: a queued row would
 * keep the address in the database after the erasure. Best effort (no retry); the receipt also
 * stays with the privacy request for staff.
 */
export async function sendErasureReceipt(
  contact: { email: string; locale: string } | null,
  receipt: ErasureReceipt,
): Promise<boolean> {
  if (!contact) return false;
  const mail = erasureReceiptMail({
    locale: contact.locale,
    erasedAt: new Date(receipt.erasedAt),
    restrictedReasons: receipt.restricted.map((r) => r.reason),
  });
  const delivery = await deliverMail({
    idempotencyKey: `erasure-receipt:${receipt.customerId}:${receipt.erasedAt}`,
    to: contact.email,
    subject: mail.subject,
    text: mail.bodyText,
    html: mail.bodyHtml,
    headers: mail.headers,
  });
  return delivery.delivered;
}

/** SQLite: erased rows must not linger in the WAL. PostgreSQL has no equivalent to force here. */
export function checkpointDatabase(): void {
  openDatabase().sqlite?.pragma('wal_checkpoint(TRUNCATE)');
}

/** For imports and API upserts: was this address erased (and not signed up again since)? */
export async function isTombstoned(db: Db, email: string): Promise<boolean> {
  return await tombstoneExists(db, tombstoneHash(email));
}
