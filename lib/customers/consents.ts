import { getDb, writeTransaction } from '@/db/client';
import {
  consentHistoryOf,
  consentStatesView,
  findCustomer,
  idsMergedInto,
  noticeHashForVersion,
  purposeByKey,
  themeExists,
} from '@/db/store/customers';
import type { ConsentActionInput } from '@/lib/api/schemas';
import { recordConsentEvent } from '@/lib/privacy/ledger';
import type { Actor } from './merge';
import { isAddressTombstoned } from './tombstone';
import { err, ok, type Failure, type Result } from '@/lib/result';

export type CustomerConsents = {
  customerId: number;
  states: { purpose: string; theme: string | null; state: string; updatedAt: string | null }[];
  history: {
    id: number;
    customerId: number;
    purpose: string;
    theme: string | null;
    action: string;
    stateAfter: string;
    source: string;
    occurredAt: string;
  }[];
};

/** Current state per purpose/theme and the ledger history, including profiles merged into this one. */
export async function customerConsents(customerId: number): Promise<CustomerConsents | null> {
  const db = getDb();
  const customer = await findCustomer(db, customerId);
  if (!customer) return null;
  const states = await consentStatesView(customerId);
  const history = await consentHistoryOf([customerId, ...(await idsMergedInto(db, customerId))]);
  return {
    customerId,
    states: states.map((row) => ({
      purpose: row.purpose,
      theme: row.themeKey || null,
      state: row.state,
      updatedAt: row.updatedAt.toISOString(),
    })),
    history: history.map((row) => ({
      id: row.id,
      customerId: row.customerId,
      purpose: row.purpose,
      theme: row.themeKey || null,
      action: row.action,
      stateAfter: row.stateAfter,
      source: row.source,
      occurredAt: row.occurredAt.toISOString(),
    })),
  };
}

export type RecordConsentResult = Result<
  { consents: CustomerConsents },
  Failure<
    | 'not_found'
    | 'erased_customer'
    | 'erased_address'
    | 'merged_customer'
    | 'unknown_purpose'
    | 'unknown_theme'
    | 'unknown_notice'
  >
>;

/** A grant or withdrawal reported by a connected system, appended to the ledger with source 'api'. */
export async function recordApiConsent(
  customerId: number,
  input: ConsentActionInput,
  actor: Actor,
): Promise<RecordConsentResult> {
  const outcome = await writeTransaction(async (db): Promise<RecordConsentResult | null> => {
    const customer = await findCustomer(db, customerId);
    if (!customer) return err('not_found', 'No such customer');
    if (customer.mergedIntoId) {
      return err('merged_customer', `This profile was merged into customer ${customer.mergedIntoId}`);
    }
    if (customer.status === 'erased') return err('erased_customer', 'This customer was erased');
    // A pending sign-up of an erased address: only the person's own confirmation brings it back.
    if (customer.email && (await isAddressTombstoned(db, customer.email)))
      return err(
        'erased_address',
        "This address was erased at the person's request; only their own confirmation brings it back",
      );
    const purpose = await purposeByKey(db, input.purpose);
    if (!purpose || purpose.archivedAt)
      return err('unknown_purpose', `purpose: no purpose "${input.purpose}"`, { field: 'purpose' });
    if (input.theme && !(await themeExists(db, purpose.id, input.theme))) {
      return err('unknown_theme', `theme: "${input.purpose}" has no theme "${input.theme}"`, {
        field: 'theme',
      });
    }
    let noticeHash: string | null = null;
    if (input.noticeVersion !== undefined) {
      noticeHash = (await noticeHashForVersion(db, purpose.id, input.noticeVersion, customer.locale)) ?? null;
      if (!noticeHash)
        return err('unknown_notice', `noticeVersion: no version ${input.noticeVersion}`, {
          field: 'noticeVersion',
        });
    }
    await recordConsentEvent(db, {
      customerId,
      purposeId: purpose.id,
      themeKey: input.theme ?? '',
      action: input.action,
      source: 'api',
      noticeHash,
      evidence: { ...input.evidence, via: 'api', apiKeyId: actor.id ?? null },
    });
    return null;
  });
  if (outcome) return outcome;
  const consents = await customerConsents(customerId);
  return consents ? ok({ consents }) : err('not_found', 'No such customer');
}
