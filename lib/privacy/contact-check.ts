import type { Db } from '@/db/client';
import { type ConsentState } from '@/lib/vocabulary';
import {
  activeBlockIn,
  consentFacts,
  contactCustomer,
  contactPurpose,
  latestReconsentVersion,
  noticeVersionOfHash,
  type ActiveBlockFacts,
  type BlockTarget,
  type ConsentFacts,
  type ContactCustomerFacts,
  type ContactPurposeFacts,
} from '@/db/store/contact-facts';

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
 * Where the contact decision gets its facts. The database reader asks the database each time; the
 * executor's batch reader (lib/executor) answers the same questions from facts it fetched for a
 * whole claimed batch in the same transaction. Both feed the one decision below.
 */
/** Facts may be at hand (a prefetched batch) or read from the store. */
export type Awaitable<T> = T | Promise<T>;

export interface ContactFacts {
  customer(customerId: number): Awaitable<Pick<ContactCustomerFacts, 'status' | 'email'> | undefined>;
  purpose(key: string): Awaitable<ContactPurposeFacts | undefined>;
  consent(customerId: number, purposeId: number, themeKey: string): Awaitable<ConsentFacts>;
  /** The notice version a grant must be renewed for, or undefined when the grant is still good. */
  reconsentNeeded(purposeId: number, grantNoticeHash: string | null): Awaitable<number | undefined>;
  activeBlock(target: BlockTarget): Awaitable<ActiveBlockFacts | undefined>;
}

/**
 * The one place that decides whether Tarmo may contact a customer for a purpose.
 * Called by the consent gate, the send step and, again, by the dispatcher just before sending.
 * Synchronous on a db handle so it can run inside the caller's transaction.
 */
export async function checkContactAllowed(db: Db, input: ContactCheckInput): Promise<ContactDecision> {
  return await decideContact(databaseContactFacts(db), input);
}

/**
 * A fact the reader has at hand is used as is; only a pending read is awaited. The executor's batch
 * reader answers from memory, and every `await` costs a promise and a microtask (more with the
 * store's AsyncLocalStorage active), several per decision (measured with bench:executor).
 */
function pending<T>(value: Awaitable<T>): value is Promise<T> {
  return value instanceof Promise;
}

/** The decision itself, over whichever facts reader the caller has (see ContactFacts). */
export async function decideContact(facts: ContactFacts, input: ContactCheckInput): Promise<ContactDecision> {
  const channel = input.channel ?? 'email';
  const customerFact = facts.customer(input.customerId);
  const customer = pending(customerFact) ? await customerFact : customerFact;
  if (!customer || customer.status === 'erased')
    return { allowed: false, code: 'erased', reason: 'skipped: the customer was erased' };
  // Art. 18 restriction (also what erasure leaves under a legal retention duty): stored, never used.
  if (customer.status === 'restricted') {
    return {
      allowed: false,
      code: 'restricted',
      reason: 'skipped: processing is restricted for this customer',
    };
  }

  const purposeFact = facts.purpose(input.purposeKey);
  const purpose = pending(purposeFact) ? await purposeFact : purposeFact;
  if (!purpose)
    return {
      allowed: false,
      code: 'unknown-purpose',
      reason: `skipped: unknown purpose ${input.purposeKey}`,
    };

  const blockTarget: BlockTarget = {
    customerId: input.customerId,
    address: customer.email,
    channel,
    themeKey: input.themeKey,
    saleSharing: purpose.honoursGpc,
  };
  // Sale or sharing / targeted advertising: a browser's Global Privacy Control signal is the
  // reason to give first (its objection is in the ledger too, which would otherwise be named).
  let block: ActiveBlockFacts | undefined;
  let blockRead = false;
  if (purpose.honoursGpc) {
    const blockFact = facts.activeBlock(blockTarget);
    block = pending(blockFact) ? await blockFact : blockFact;
    blockRead = true;
    if (block?.reason === 'gpc')
      return {
        allowed: false,
        code: 'objected',
        reason: `skipped: Global Privacy Control — the customer's browser objected to ${purpose.name} (sale or sharing / targeted advertising)`,
      };
  }

  const stateFact = facts.consent(input.customerId, purpose.id, '');
  const state = pending(stateFact) ? await stateFact : stateFact;
  const themeFact = input.themeKey ? facts.consent(input.customerId, purpose.id, input.themeKey) : undefined;
  const themeState = pending(themeFact) ? await themeFact : themeFact;

  if (state.state === 'objected' || themeState?.state === 'objected') {
    return { allowed: false, code: 'objected', reason: `skipped: the customer objected to ${purpose.name}` };
  }
  if (purpose.legalBasis === 'consent') {
    if (state.state !== 'granted') {
      return {
        allowed: false,
        code: 'no-consent',
        reason: `skipped: no consent for ${purpose.name} (${state.state})`,
      };
    }
    const reconsentFact = facts.reconsentNeeded(purpose.id, state.noticeHash ?? null);
    const reconsentVersion = pending(reconsentFact) ? await reconsentFact : reconsentFact;
    if (reconsentVersion) {
      return {
        allowed: false,
        code: 'no-consent',
        reason: `skipped: ${purpose.name} needs fresh consent for notice version ${reconsentVersion}`,
      };
    }
    // A theme the customer switched off in the preference center counts as no consent for it.
    if (themeState && themeState.state !== 'granted' && themeState.state !== 'not-asked') {
      return {
        allowed: false,
        code: 'no-consent',
        reason: `skipped: ${input.themeKey} is off for ${purpose.name}`,
      };
    }
  }

  if (!blockRead) {
    const blockFact = facts.activeBlock(blockTarget);
    block = pending(blockFact) ? await blockFact : blockFact;
  }
  if (block)
    return {
      allowed: false,
      code: 'blocked',
      reason: `skipped: contact block (${block.scope}, ${block.reason})`,
    };

  const basis =
    purpose.legalBasis === 'consent'
      ? `consent for ${purpose.name} granted on ${state.updatedAt?.toISOString().slice(0, 10) ?? 'record'}`
      : `${purpose.legalBasis} for ${purpose.name}`;
  return { allowed: true, reason: `allowed: ${basis}` };
}

/** Facts read from the database as they are now. */
export function databaseContactFacts(db: Db): ContactFacts {
  return {
    customer: async (customerId) => await contactCustomer(db, customerId),
    purpose: async (key) => await contactPurpose(db, key),
    consent: async (customerId, purposeId, themeKey) =>
      await currentConsent(db, customerId, purposeId, themeKey),
    reconsentNeeded: async (purposeId, grantNoticeHash) =>
      await reconsentNeeded(db, purposeId, grantNoticeHash),
    activeBlock: async (target) => await activeBlock(db, target),
  };
}

export async function currentConsent(
  db: Db,
  customerId: number,
  purposeId: number,
  themeKey: string,
): Promise<{ state: ConsentState; updatedAt?: Date; noticeHash?: string | null }> {
  return (await consentFacts(db, customerId, purposeId, themeKey)) ?? { state: 'not-asked' };
}

/**
 * A notice version published with "requires fresh consent" invalidates grants given under older
 * versions. Returns that version when this grant (identified by the notice text hash it recorded)
 * predates it; undefined when the grant is still good.
 */
export async function reconsentNeeded(
  db: Db,
  purposeId: number,
  grantNoticeHash: string | null,
): Promise<number | undefined> {
  const required = await latestReconsentVersion(db, purposeId);
  if (required === undefined) return undefined;
  return reconsentVersionFor(
    required,
    grantNoticeHash ? await noticeVersionOfHash(db, purposeId, grantNoticeHash) : undefined,
  );
}

/** Given the newest reconsent-required version and the version the grant was given under. */
export function reconsentVersionFor(
  required: number | undefined,
  grantedVersion: number | undefined,
): number | undefined {
  if (required === undefined) return undefined;
  return grantedVersion !== undefined && grantedVersion >= required ? undefined : required;
}

/** The first active (not lifted) block matching any of the scopes that cover this contact. */
export async function activeBlock(db: Db, target: BlockTarget): Promise<ActiveBlockFacts | undefined> {
  return await activeBlockIn(db, target);
}
