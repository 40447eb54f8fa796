import { and, count, eq, gt, isNull, lt } from 'drizzle-orm';
import type { Db } from '../client';
import { sqlAll, sqlGet } from '../client';
import { jsonList } from '../sql-lists';
import { customers, outbox, tokens, tombstones } from '../schema';

export type CustomerRow = typeof customers.$inferSelect;

export async function customerById(db: Db, id: number): Promise<CustomerRow | undefined> {
  return await db.select().from(customers).where(eq(customers.id, id)).get();
}

/** The locale of each of these customers that exists (a receipt and a notice are in it). */
export async function customerLocales(db: Db, ids: readonly number[]): Promise<Map<number, string>> {
  const found = new Map<number, string>();
  for (let i = 0; i < ids.length; i += 5000) {
    const rows = await sqlAll<{ id: number; locale: string }>(
      db,
      `SELECT id, locale FROM customers WHERE id IN ${jsonList(db)}`,
      [JSON.stringify(ids.slice(i, i + 5000))],
    );
    for (const row of rows) found.set(Number(row.id), row.locale);
  }
  return found;
}

export interface MailRecipient {
  id: number;
  email: string | null;
  name: string;
  locale: string;
  status: CustomerRow['status'];
}

/** What a mail needs of its recipient; a prepared statement, as every journey mail asks it. */
export async function mailRecipient(db: Db, id: number): Promise<MailRecipient | undefined> {
  return (await sqlGet(db, 'SELECT id, email, name, locale, status FROM customers WHERE id = ?', [id])) as
    MailRecipient | undefined;
}

export async function customerByEmail(db: Db, email: string): Promise<CustomerRow | undefined> {
  return await db.select().from(customers).where(eq(customers.email, email.trim().toLowerCase())).get();
}

/** A person who signed up themselves (public form): only an address and a language. */
export async function insertSelfSignupCustomer(
  db: Db,
  input: { email: string; locale: string; now: Date },
): Promise<CustomerRow> {
  return await db
    .insert(customers)
    .values({ email: input.email.trim().toLowerCase(), locale: input.locale, createdAt: input.now })
    .returning()
    .get();
}

export async function setCustomerStatus(
  db: Db,
  id: number,
  status: CustomerRow['status'],
  now: Date,
): Promise<void> {
  await db.update(customers).set({ status, updatedAt: now }).where(eq(customers.id, id)).run();
}

/**
 * Opt-in mails queued for a customer in [since, before): the resend cooldown counts these. Mails
 * of the same instant (one sign-up naming several purposes) do not count against each other.
 */
export async function optInMailsSince(
  db: Db,
  customerId: number,
  since: Date,
  before: Date,
): Promise<number> {
  return (
    (
      await db
        .select({ n: count() })
        .from(outbox)
        .where(
          and(
            eq(outbox.customerId, customerId),
            eq(outbox.category, 'optin'),
            gt(outbox.createdAt, since),
            lt(outbox.createdAt, before),
          ),
        )
        .get()
    )?.n ?? 0
  );
}

export async function tombstoneExists(db: Db, emailHash: string): Promise<boolean> {
  return !!(await db
    .select({ id: tombstones.id })
    .from(tombstones)
    .where(eq(tombstones.emailHash, emailHash))
    .get());
}

export async function insertTombstone(db: Db, emailHash: string, reason: string): Promise<void> {
  await db.insert(tombstones).values({ emailHash, reason }).onConflictDoNothing().run();
}

export async function deleteTombstone(db: Db, emailHash: string): Promise<number> {
  return (await db.delete(tombstones).where(eq(tombstones.emailHash, emailHash)).run()).changes;
}

/** Does the customer still have an opt-in link that is unused and not expired? */
export async function hasLiveOptInLink(db: Db, customerId: number, now: Date): Promise<boolean> {
  return !!(await db
    .select({ id: tokens.id })
    .from(tokens)
    .where(
      and(
        eq(tokens.customerId, customerId),
        eq(tokens.kind, 'optin'),
        isNull(tokens.usedAt),
        gt(tokens.expiresAt, now),
      ),
    )
    .limit(1)
    .get());
}
