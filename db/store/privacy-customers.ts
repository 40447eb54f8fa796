import { and, count, eq, gt, lt } from 'drizzle-orm';
import type { Db } from '../client';
import { customers, outbox, tombstones } from '../schema';
import { prepared } from './enrollments';

export type CustomerRow = typeof customers.$inferSelect;

export function customerById(db: Db, id: number): CustomerRow | undefined {
  return db.select().from(customers).where(eq(customers.id, id)).get();
}

export interface MailRecipient {
  id: number;
  email: string | null;
  name: string;
  locale: string;
  status: CustomerRow['status'];
}

/** What a mail needs of its recipient; a prepared statement, as every journey mail asks it. */
export function mailRecipientSync(db: Db, id: number): MailRecipient | undefined {
  return prepared(db, 'SELECT id, email, name, locale, status FROM customers WHERE id = ?').get(id) as
    MailRecipient | undefined;
}

export function customerByEmail(db: Db, email: string): CustomerRow | undefined {
  return db.select().from(customers).where(eq(customers.email, email.trim().toLowerCase())).get();
}

/** A person who signed up themselves (public form): only an address and a language. */
export function insertSelfSignupCustomer(
  db: Db,
  input: { email: string; locale: string; now: Date },
): CustomerRow {
  return db
    .insert(customers)
    .values({ email: input.email.trim().toLowerCase(), locale: input.locale, createdAt: input.now })
    .returning()
    .get();
}

export function setCustomerStatus(db: Db, id: number, status: CustomerRow['status'], now: Date): void {
  db.update(customers).set({ status, updatedAt: now }).where(eq(customers.id, id)).run();
}

/**
 * Opt-in mails queued for a customer in [since, before): the resend cooldown counts these. Mails
 * of the same instant (one sign-up naming several purposes) do not count against each other.
 */
export function optInMailsSince(db: Db, customerId: number, since: Date, before: Date): number {
  return (
    db
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
      .get()?.n ?? 0
  );
}

export function tombstoneExists(db: Db, emailHash: string): boolean {
  return !!db.select({ id: tombstones.id }).from(tombstones).where(eq(tombstones.emailHash, emailHash)).get();
}

export function insertTombstone(db: Db, emailHash: string, reason: string): void {
  db.insert(tombstones).values({ emailHash, reason }).onConflictDoNothing().run();
}

export function deleteTombstone(db: Db, emailHash: string): number {
  return db.delete(tombstones).where(eq(tombstones.emailHash, emailHash)).run().changes;
}
