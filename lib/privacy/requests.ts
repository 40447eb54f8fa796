import type { Db } from '@/db/client';
import { insertAudit } from '@/db/store/audit';
import { consentStatesOf, listPurposes } from '@/db/store/consent';
import { customerByEmail, customerById, setCustomerStatus } from '@/db/store/privacy-customers';
import { insertOutboxMail } from '@/db/store/privacy-outbox';
import {
  insertPrivacyRequest,
  privacyRequestById,
  updatePrivacyRequest,
  type PrivacyRequestKind,
  type PrivacyRequestRow,
  type PrivacyRequestSource,
} from '@/db/store/privacy-requests';
import { markTokenUsed } from '@/db/store/tokens';
import { extensionMail, verifyRequestMail } from '@/lib/mail/templates/privacy-mails';
import { enqueueWebhookEvent } from '@/lib/webhooks/enqueue';
import { createExport, queueExportLinkMail } from './exports';
import { forgetCustomer } from './forget';
import { recordConsentEvent } from './ledger';
import { createLink, linkGone, lookupLink, type LinkResult } from './links';
import { err, ok, type Failure, type Result } from '@/lib/result';

/** Art. 12(3): one month after receipt, extendable by two further months with a reason. */
export function addMonths(date: Date, months: number): Date {
  const d = new Date(date.getTime());
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, lastDay));
  return d;
}

export type Actor = { type: 'user' | 'api_key' | 'customer' | 'system'; id?: string | number | null };

async function audit(
  db: Db,
  actor: Actor,
  action: string,
  request: PrivacyRequestRow,
  details: Record<string, unknown> = {},
) {
  await insertAudit(db, {
    actorType: actor.type,
    actorId: actor.id ?? null,
    action,
    targetType: 'privacy_request',
    targetId: request.id,
    details: { kind: request.kind, ...details },
  });
}

async function announce(db: Db, request: PrivacyRequestRow, now: Date) {
  await enqueueWebhookEvent(
    db,
    'privacy_request.updated',
    {
      requestId: request.id,
      customerId: request.customerId,
      kind: request.kind,
      status: request.status,
      dueAt: request.dueAt.toISOString(),
    },
    now,
  );
}

export type CreateRequestInput = {
  customerId?: number | null;
  email?: string | null;
  kind: PrivacyRequestKind;
  source: PrivacyRequestSource;
  /** The channel already proved the person's identity (staff checked it, a mailed link was used). */
  verified?: boolean;
  details?: Record<string, unknown>;
  actor?: Actor;
  now?: Date;
};

/**
 * Takes in a request. Unless identity is already proven, a verification link goes to the address
 * on file (never to an address given in the request), so nobody can act on another's data.
 * Unknown addresses get an unverified request and no mail — the caller answers the same either way.
 */
export async function createPrivacyRequest(
  db: Db,
  input: CreateRequestInput,
): Promise<{ request: PrivacyRequestRow; verificationSent: boolean }> {
  const now = input.now ?? new Date();
  const customer = input.customerId
    ? await customerById(db, input.customerId)
    : input.email
      ? await customerByEmail(db, input.email)
      : undefined;
  const usable = customer && customer.status !== 'erased' ? customer : undefined;
  const verified = !!usable && !!input.verified;
  const request = await insertPrivacyRequest(db, {
    customerId: usable?.id ?? null,
    kind: input.kind,
    status: verified ? 'open' : 'unverified',
    source: input.source,
    details: {
      ...(input.details ?? {}),
      ...(usable ? {} : input.email ? { unmatchedEmail: input.email.trim().toLowerCase() } : {}),
    },
    receivedAt: now,
    dueAt: addMonths(now, 1),
    verifiedAt: verified ? now : null,
  });
  let verificationSent = false;
  if (!verified && usable?.email) {
    const link = await createLink(db, {
      kind: 'verify-request',
      customerId: usable.id,
      payload: { requestId: request.id },
      now,
    });
    await insertOutboxMail(db, {
      idempotencyKey: `verify-request:${request.id}`,
      category: 'privacy',
      customerId: usable.id,
      toAddress: usable.email,
      ...verifyRequestMail({ locale: usable.locale, kind: request.kind, url: link.url }),
      now,
    });
    verificationSent = true;
  }
  await audit(db, input.actor ?? { type: 'system' }, 'privacy_request.received', request, {
    source: input.source,
    verified,
    verificationSent,
  });
  await announce(db, request, now);
  return { request, verificationSent };
}

export type VerifyView = LinkResult<{ kind: PrivacyRequestKind; locale: string }>;

export async function describeVerification(db: Db, raw: string): Promise<VerifyView> {
  const found = await lookupLink(db, raw, ['verify-request']);
  if (!found.ok) return found;
  const request = await privacyRequestById(db, Number(found.value.payload.requestId));
  const customer = found.value.customerId ? await customerById(db, found.value.customerId) : undefined;
  if (!request || request.status !== 'unverified' || !customer) return linkGone();
  return ok({ kind: request.kind, locale: customer.locale });
}

/** The person clicked the verification link and pressed the button (POST): the request opens. */
export async function verifyPrivacyRequest(db: Db, raw: string, now = new Date()): Promise<VerifyView> {
  const view = await describeVerification(db, raw);
  if (!view.ok) return view;
  const found = await lookupLink(db, raw, ['verify-request']);
  if (!found.ok || !(await markTokenUsed(db, found.value.id, now))) return linkGone();
  const request = await privacyRequestById(db, Number(found.value.payload.requestId));
  if (!request) return linkGone();
  await updatePrivacyRequest(db, request.id, { status: 'open', verifiedAt: now });
  const updated = { ...request, status: 'open' as const, verifiedAt: now };
  await audit(db, { type: 'customer' }, 'privacy_request.verified', updated);
  await announce(db, updated, now);
  return view;
}

export type RequestActionResult = Result<
  { request: PrivacyRequestRow },
  Failure<'not_found' | 'invalid_state' | 'invalid_field'>
>;

const isClosed = (r: PrivacyRequestRow) => r.status === 'completed' || r.status === 'rejected';

/**
 * Art. 12(3): the deadline may be extended by up to two further months, once, but only if the
 * person is told within the first month, with the reasons. So an overdue request cannot be
 * extended any more, a request without a customer to tell cannot be extended at all, and the
 * mail to the person is queued in the same transaction as the new deadline.
 */
export async function extendRequest(
  db: Db,
  requestId: number,
  input: { reason: string; actor: Actor; months?: number; now?: Date },
): Promise<RequestActionResult> {
  const now = input.now ?? new Date();
  const request = await privacyRequestById(db, requestId);
  if (!request) return err('not_found', 'unknown request');
  if (isClosed(request)) return err('invalid_state', 'the request is closed');
  if (request.extensionReason) return err('invalid_state', 'the deadline was already extended once');
  if (request.dueAt.getTime() <= now.getTime())
    return err(
      'invalid_state',
      'the first month has passed: an extension must be decided and announced to the person within it (Art. 12(3)); answer the request now',
    );
  const reason = input.reason.trim();
  if (reason.length < 5) return err('invalid_field', 'give a reason for the extension', { field: 'reason' });
  const customer = request.customerId ? await customerById(db, request.customerId) : undefined;
  if (!customer?.email || customer.status === 'erased')
    return err('invalid_state', 'the person cannot be told: no customer address is linked to this request');
  const months = Math.min(Math.max(input.months ?? 2, 1), 2);
  const dueAt = addMonths(request.dueAt, months);
  const stored = reason.slice(0, 1000);
  await updatePrivacyRequest(db, requestId, { dueAt, extensionReason: stored });
  await insertOutboxMail(db, {
    idempotencyKey: `request-extended:${request.id}`,
    category: 'privacy',
    customerId: customer.id,
    toAddress: customer.email,
    ...extensionMail({
      locale: customer.locale,
      kind: request.kind,
      receivedAt: request.receivedAt,
      dueAt,
      reason: stored,
    }),
    now,
  });
  const updated = { ...request, dueAt, extensionReason: stored };
  await audit(db, input.actor, 'privacy_request.extended', updated, {
    months,
    reason: reason.slice(0, 200),
    personInformed: true,
  });
  await announce(db, updated, now);
  return ok({ request: updated });
}

export async function startRequest(
  db: Db,
  requestId: number,
  input: { actor: Actor; now?: Date },
): Promise<RequestActionResult> {
  const request = await privacyRequestById(db, requestId);
  if (!request) return err('not_found', 'unknown request');
  if (request.status !== 'open') return err('invalid_state', `the request is ${request.status}`);
  await updatePrivacyRequest(db, requestId, { status: 'in-progress' });
  const updated = { ...request, status: 'in-progress' as const };
  await audit(db, input.actor, 'privacy_request.started', updated);
  await announce(db, updated, input.now ?? new Date());
  return ok({ request: updated });
}

export async function rejectRequest(
  db: Db,
  requestId: number,
  input: { reason: string; actor: Actor; now?: Date },
): Promise<RequestActionResult> {
  const now = input.now ?? new Date();
  const request = await privacyRequestById(db, requestId);
  if (!request) return err('not_found', 'unknown request');
  if (isClosed(request)) return err('invalid_state', 'the request is closed');
  const reason = input.reason.trim();
  if (reason.length < 5) return err('invalid_field', 'give a reason for the rejection', { field: 'reason' });
  await updatePrivacyRequest(db, requestId, {
    status: 'rejected',
    statusReason: reason.slice(0, 1000),
    completedAt: now,
  });
  const updated = { ...request, status: 'rejected' as const, statusReason: reason, completedAt: now };
  await audit(db, input.actor, 'privacy_request.rejected', updated, { reason: reason.slice(0, 200) });
  await announce(db, updated, now);
  return ok({ request: updated });
}

/**
 * Carries the request out and closes it: access/portability → export + link mail; erasure →
 * forget; restriction → processing locked; objection → 'object' for every purpose not based on
 * consent (and withdrawal of consents); rectification → closed with the note (staff edit the data).
 */
export async function completeRequest(
  db: Db,
  requestId: number,
  input: { actor: Actor; note?: string; now?: Date },
): Promise<RequestActionResult> {
  const now = input.now ?? new Date();
  const request = await privacyRequestById(db, requestId);
  if (!request) return err('not_found', 'unknown request');
  if (isClosed(request)) return err('invalid_state', 'the request is closed');
  if (request.status === 'unverified') return err('invalid_state', 'the identity is not verified yet');
  const customer = request.customerId ? await customerById(db, request.customerId) : undefined;
  if (!customer && request.kind !== 'rectification')
    return err('invalid_state', 'no customer is linked to this request');

  let receipt: Record<string, unknown> = { note: input.note?.slice(0, 1000) ?? null };
  if (customer && (request.kind === 'access' || request.kind === 'portability')) {
    const created = await createExport(db, customer.id, { requestId, now });
    const mailed = await queueExportLinkMail(db, {
      customerId: customer.id,
      exportId: created.exportId,
      url: created.url,
      idempotencyKey: `request-export:${requestId}`,
      now,
    });
    receipt = {
      ...receipt,
      exportId: created.exportId,
      linkMailed: mailed.queued,
      linkExpiresAt: created.expiresAt.toISOString(),
    };
  } else if (customer && request.kind === 'erasure') {
    const forgotten = await forgetCustomer(db, customer.id, {
      actor: actorString(input.actor),
      requestId,
      source: 'staff',
      now,
    });
    if (!forgotten.ok) return err('invalid_state', forgotten.error.message);
    receipt = { ...receipt, ...forgotten.value.receipt };
  } else if (customer && request.kind === 'restriction') {
    await setCustomerStatus(db, customer.id, 'restricted', now);
    for (const state of await consentStatesOf(db, customer.id)) {
      await recordConsentEvent(db, {
        customerId: customer.id,
        purposeId: state.purposeId,
        themeKey: state.themeKey,
        action: 'restrict',
        source: 'staff',
        evidence: { requestId },
        occurredAt: now,
      });
    }
    receipt = { ...receipt, restricted: true };
  } else if (customer && request.kind === 'objection') {
    let objected = 0;
    for (const purpose of await listPurposes(db)) {
      if (purpose.legalBasis !== 'legitimate-interests' && purpose.legalBasis !== 'consent') continue;
      await recordConsentEvent(db, {
        customerId: customer.id,
        purposeId: purpose.id,
        action: purpose.legalBasis === 'consent' ? 'withdraw' : 'object',
        source: 'staff',
        evidence: { requestId },
        occurredAt: now,
      });
      objected++;
    }
    receipt = { ...receipt, purposesStopped: objected };
  }
  await updatePrivacyRequest(db, requestId, { status: 'completed', completedAt: now, receipt });
  const updated = { ...request, status: 'completed' as const, completedAt: now, receipt };
  await audit(db, input.actor, 'privacy_request.completed', updated, { outcome: request.kind });
  await announce(db, updated, now);
  return ok({ request: updated });
}

function actorString(actor: Actor): string {
  return actor.type === 'user'
    ? `user:${actor.id}`
    : actor.type === 'api_key'
      ? `api-key:${actor.id}`
      : actor.type;
}
