import { and, desc, eq, isNull, or } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { consentState, contactBlocks, customers, notices, purposes, type ConsentState } from '@/db/schema';

export type ContactCheckInput = {
  customerId: number;
  purposeKey: string;
  themeKey?: string;
  channel?: 'email' | 'sms' | 'post' | 'phone';
  now?: Date;
};

export type ContactDecision =
  | { allowed: true; reason: string }
  | {
      allowed: false;
      code: 'erased' | 'restricted' | 'unknown-purpose' | 'no-consent' | 'objected' | 'blocked';
      reason: string;
    };

/**
 * The one place that decides whether Tarmo may contact a customer for a purpose.
 * Called by the consent gate, the send step and, again, by the dispatcher just before sending.
 * Synchronous on a db handle so it can run inside the caller's transaction.
 */
export function checkContactAllowed(db: Db, input: ContactCheckInput): ContactDecision {
  const channel = input.channel ?? 'email';
  const customer = db
    .select({ status: customers.status, email: customers.email })
    .from(customers)
    .where(eq(customers.id, input.customerId))
    .get();
  if (!customer || customer.status === 'erased') return { allowed: false, code: 'erased', reason: 'skipped: the customer was erased' };
  // Art. 18 restriction (also what erasure leaves under a legal retention duty): stored, never used.
  if (customer.status === 'restricted') {
    return { allowed: false, code: 'restricted', reason: 'skipped: processing is restricted for this customer' };
  }

  const purpose = db.select().from(purposes).where(eq(purposes.key, input.purposeKey)).get();
  if (!purpose) return { allowed: false, code: 'unknown-purpose', reason: `skipped: unknown purpose ${input.purposeKey}` };

  const state = currentConsent(db, input.customerId, purpose.id, '');
  const themeState = input.themeKey ? currentConsent(db, input.customerId, purpose.id, input.themeKey) : undefined;

  if (state.state === 'objected' || themeState?.state === 'objected') {
    return { allowed: false, code: 'objected', reason: `skipped: the customer objected to ${purpose.name}` };
  }
  if (purpose.legalBasis === 'consent') {
    if (state.state !== 'granted') {
      return { allowed: false, code: 'no-consent', reason: `skipped: no consent for ${purpose.name} (${state.state})` };
    }
    const reconsentVersion = reconsentNeeded(db, purpose.id, state.noticeHash ?? null);
    if (reconsentVersion) {
      return {
        allowed: false,
        code: 'no-consent',
        reason: `skipped: ${purpose.name} needs fresh consent for notice version ${reconsentVersion}`,
      };
    }
    // A theme the customer switched off in the preference center counts as no consent for it.
    if (themeState && themeState.state !== 'granted' && themeState.state !== 'not-asked') {
      return { allowed: false, code: 'no-consent', reason: `skipped: ${input.themeKey} is off for ${purpose.name}` };
    }
  }

  const block = activeBlock(db, { customerId: input.customerId, address: customer.email, channel, themeKey: input.themeKey });
  if (block) return { allowed: false, code: 'blocked', reason: `skipped: contact block (${block.scope}, ${block.reason})` };

  const basis =
    purpose.legalBasis === 'consent'
      ? `consent for ${purpose.name} granted on ${state.updatedAt?.toISOString().slice(0, 10) ?? 'record'}`
      : `${purpose.legalBasis} for ${purpose.name}`;
  return { allowed: true, reason: `allowed: ${basis}` };
}

export function currentConsent(
  db: Db,
  customerId: number,
  purposeId: number,
  themeKey: string,
): { state: ConsentState; updatedAt?: Date; noticeHash?: string | null } {
  const row = db
    .select({ state: consentState.state, updatedAt: consentState.updatedAt, noticeHash: consentState.noticeHash })
    .from(consentState)
    .where(
      and(eq(consentState.customerId, customerId), eq(consentState.purposeId, purposeId), eq(consentState.themeKey, themeKey)),
    )
    .get();
  return row ?? { state: 'not-asked' };
}

/**
 * A notice version published with "requires fresh consent" invalidates grants given under older
 * versions. Returns that version when this grant (identified by the notice text hash it recorded)
 * predates it; undefined when the grant is still good.
 */
export function reconsentNeeded(db: Db, purposeId: number, grantNoticeHash: string | null): number | undefined {
  const required = db
    .select({ version: notices.version })
    .from(notices)
    .where(and(eq(notices.purposeId, purposeId), eq(notices.requiresReconsent, true)))
    .orderBy(desc(notices.version))
    .limit(1)
    .get();
  if (!required) return undefined;
  const granted = grantNoticeHash
    ? db
        .select({ version: notices.version })
        .from(notices)
        .where(and(eq(notices.purposeId, purposeId), eq(notices.textHash, grantNoticeHash)))
        .orderBy(desc(notices.version))
        .limit(1)
        .get()
    : undefined;
  return granted && granted.version >= required.version ? undefined : required.version;
}

/** The first active (not lifted) block matching any of the scopes that cover this contact. */
export function activeBlock(
  db: Db,
  target: { customerId: number; address: string | null; channel: string; themeKey?: string },
) {
  const scopes = [
    and(eq(contactBlocks.scope, 'all'), eq(contactBlocks.customerId, target.customerId)),
    and(eq(contactBlocks.scope, 'channel'), eq(contactBlocks.customerId, target.customerId), eq(contactBlocks.channel, target.channel as 'email')),
    ...(target.address ? [and(eq(contactBlocks.scope, 'address'), eq(contactBlocks.address, target.address))] : []),
    ...(target.themeKey
      ? [and(eq(contactBlocks.scope, 'theme'), eq(contactBlocks.customerId, target.customerId), eq(contactBlocks.themeKey, target.themeKey))]
      : []),
  ];
  return db
    .select()
    .from(contactBlocks)
    .where(and(isNull(contactBlocks.liftedAt), or(...scopes)))
    .get();
}
