import { writeTransaction, type Db } from '@/db/client';
import { insertAudit } from '@/db/store/audit';
import {
  findCustomer,
  findCustomerByEmail,
  findCustomerByExternalId,
  insertCustomer,
  updateCustomer,
  type CustomerRow,
} from '@/db/store/customers';
import type { CustomerPatch, CustomerUpsert } from '@/lib/api/schemas';
import { onCustomerChangedIn } from '@/lib/executor/lifecycle';
import { mergeCustomers, type Actor } from './merge';
import { isAddressTombstoned } from './tombstone';
import { canonicalJson } from '@/lib/privacy/crypto';
import { err, ok, type Failure, type Result } from '@/lib/result';

export type CustomerFailure = Failure<
  'erased_address' | 'erased_customer' | 'identity_conflict' | 'not_found'
>;

export type UpsertResult = Result<
  { customer: CustomerRow; created: boolean; mergedCustomerIds: number[] },
  CustomerFailure
>;

const ERASED_ADDRESS = err(
  'erased_address',
  "This address was erased at the person's request; it can only come back by the person signing up again",
  { field: 'email' },
);

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * Creates or updates a customer identified by externalId and/or email, in one transaction.
 * When the external id and the address point at two different profiles, they are the same
 * person: the address's profile is merged into the external id's (consent-aware, see merge.ts).
 */
export async function upsertCustomer(input: CustomerUpsert, actor: Actor): Promise<UpsertResult> {
  return await writeTransaction(async (db) => {
    const result = await upsertCustomerIn(db, input, actor);
    // New or changed attributes may put the customer into a live journey's target group.
    if (result.ok) await onCustomerChangedIn(db, result.value.customer.id);
    return result;
  });
}

export type UpsertOptions = {
  now?: Date;
  /** Bulk callers (CSV import) write one audit entry per job instead of one per row. */
  audit?: boolean;
  /** Bulk callers check tombstones for a whole batch up front. */
  tombstoneChecked?: boolean;
};

export async function upsertCustomerIn(
  db: Db,
  input: CustomerUpsert,
  actor: Actor,
  options: UpsertOptions = {},
): Promise<UpsertResult> {
  const now = options.now ?? new Date();
  const audit = options.audit ?? true;
  const email = input.email ? normaliseEmail(input.email) : undefined;
  const byExternal = input.externalId ? await findCustomerByExternalId(db, input.externalId) : undefined;
  const byEmail = email ? await findCustomerByEmail(db, email) : undefined;
  if (byExternal?.status === 'erased' || byEmail?.status === 'erased') {
    return err('erased_customer', 'This customer was erased');
  }
  // An erased address stays erased until the person confirms a double opt-in themselves: also
  // while a sign-up of theirs is pending (a profile exists, holding only what the opt-in needs),
  // nobody else may write profile data for it, merge it or attach it to another profile.
  if (email && !options.tombstoneChecked && (await isAddressTombstoned(db, email))) return ERASED_ADDRESS;
  if (byExternal?.email && byExternal.email !== email && (await isAddressTombstoned(db, byExternal.email)))
    return ERASED_ADDRESS;

  const profile = {
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(input.locale !== undefined ? { locale: input.locale } : {}),
    ...(input.timeZone !== undefined ? { timeZone: input.timeZone } : {}),
  };
  const mergedCustomerIds: number[] = [];
  let target = byExternal ?? byEmail;
  if (byExternal && byEmail && byExternal.id !== byEmail.id) {
    await mergeCustomers(db, byExternal.id, byEmail.id, actor, now);
    mergedCustomerIds.push(byEmail.id);
    target = await findCustomer(db, byExternal.id);
  }
  if (!target) {
    const created = await insertCustomer(db, {
      externalId: input.externalId ?? null,
      email: email ?? null,
      attributes: input.attributes ?? {},
      ...profile,
    });
    if (audit)
      await insertAudit(db, {
        actorType: actor.type,
        actorId: actor.id,
        action: 'customer.created',
        targetType: 'customer',
        targetId: created.id,
      });
    return ok({ customer: created, created: true, mergedCustomerIds });
  }
  if (input.externalId && target.externalId && target.externalId !== input.externalId) {
    return err('identity_conflict', 'This address belongs to a customer with a different externalId', {
      field: 'externalId',
    });
  }
  const changes = changedValues(target, {
    ...profile,
    ...(email ? { email } : {}),
    ...(input.externalId ? { externalId: input.externalId } : {}),
    ...(input.attributes ? { attributes: mergeAttributes(target.attributes, input.attributes) } : {}),
  });
  // A no-op update changes nothing: no write, no updatedAt, no audit entry.
  if (!changes && mergedCustomerIds.length === 0)
    return ok({ customer: target, created: false, mergedCustomerIds });
  const updated = await updateCustomer(db, target.id, changes ?? {});
  if (audit) {
    await insertAudit(db, {
      actorType: actor.type,
      actorId: actor.id,
      action: 'customer.updated',
      targetType: 'customer',
      targetId: updated.id,
      details: { fields: Object.keys(input) },
    });
  }
  return ok({ customer: updated, created: false, mergedCustomerIds });
}

/** Applies a partial update; a changed address is checked against tombstones and uniqueness. */
export async function patchCustomer(id: number, patch: CustomerPatch, actor: Actor): Promise<UpsertResult> {
  return await writeTransaction(async (db) => {
    const customer = await findCustomer(db, id);
    if (!customer || customer.mergedIntoId) return err('not_found', 'No such customer');
    if (customer.status === 'erased') return err('erased_customer', 'This customer was erased');
    if (customer.email && (await isAddressTombstoned(db, customer.email))) return ERASED_ADDRESS;
    const email = patch.email ? normaliseEmail(patch.email) : undefined;
    if (email && email !== customer.email) {
      const holder = await findCustomerByEmail(db, email);
      if (holder)
        return err('identity_conflict', `Customer ${holder.id} has this address`, { field: 'email' });
      if (await isAddressTombstoned(db, email)) return ERASED_ADDRESS;
    }
    if (patch.externalId && patch.externalId !== customer.externalId) {
      const holder = await findCustomerByExternalId(db, patch.externalId);
      if (holder)
        return err('identity_conflict', `Customer ${holder.id} has this externalId`, { field: 'externalId' });
    }
    const changes = changedValues(customer, {
      ...(email ? { email } : {}),
      ...(patch.externalId ? { externalId: patch.externalId } : {}),
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.locale !== undefined ? { locale: patch.locale } : {}),
      ...(patch.timeZone !== undefined ? { timeZone: patch.timeZone } : {}),
      ...(patch.attributes ? { attributes: mergeAttributes(customer.attributes, patch.attributes) } : {}),
    });
    if (!changes) return ok({ customer, created: false, mergedCustomerIds: [] });
    const updated = await updateCustomer(db, id, changes);
    await insertAudit(db, {
      actorType: actor.type,
      actorId: actor.id,
      action: 'customer.updated',
      targetType: 'customer',
      targetId: id,
      details: { fields: Object.keys(patch) },
    });
    await onCustomerChangedIn(db, id);
    return ok({ customer: updated, created: false, mergedCustomerIds: [] });
  });
}

/** Only the values that differ from the stored row; null when nothing would change. */
function changedValues<T extends Partial<CustomerRow>>(current: CustomerRow, values: T): Partial<T> | null {
  const changed = Object.fromEntries(
    Object.entries(values).filter(
      ([key, value]) => canonicalJson(current[key as keyof CustomerRow]) !== canonicalJson(value),
    ),
  ) as Partial<T>;
  return Object.keys(changed).length ? changed : null;
}

/** Shallow merge; a null value removes the key. */
function mergeAttributes(
  current: Record<string, unknown>,
  changes: Record<string, unknown>,
): Record<string, unknown> {
  const next = { ...current };
  for (const [key, value] of Object.entries(changes)) {
    if (value === null) delete next[key];
    else next[key] = value;
  }
  return next;
}
