/**
 * Every PostgreSQL advisory lock key of Tarmo, and the order locks are taken in. SQLite has one
 * writer at a time (BEGIN IMMEDIATE), so none of this applies there.
 *
 * Lock order (a transaction never takes a lock of a lower rank after one of a higher rank, so two
 * transactions can never wait for each other in a cycle):
 *   1. STORE_WRITE (transaction-scoped): taken at BEGIN by every serialized write transaction
 *      (`writeTransaction`, the default), never by the executor's batches (`serialized: false`).
 *   2. Enrollment rows: an executor batch claims its enrollments (`FOR UPDATE SKIP LOCKED`); an
 *      append that may wake enrollments locks the customer's waiting enrollments first
 *      (`lockWaitingEnrollments`, db/store/wakeups.ts), before 3.
 *   3. LEDGER_CHAIN (transaction-scoped): taken by the consent ledger's append before it reads the
 *      chain head (lib/privacy/ledger.ts `recordConsentEvent`); the wake-up that follows updates
 *      rows locked in 2 only.
 *   4. Everything else the append writes (consent_state, consent_counters, outbox rows).
 * SEND_RATE (transaction-scoped) is taken alone, in the short transaction that grants a send slot
 *   (db/store/delivery.ts), never together with any of the above.
 * MIGRATION (session-scoped, on its own connection) is held only while migrating, before any of these.
 */
export const ADVISORY_LOCK_KEYS = {
  MIGRATION: 7_274_311,
  LEDGER_CHAIN: 7_274_312,
  STORE_WRITE: 7_274_313,
  SEND_RATE: 7_274_314,
} as const;

/** The statement that takes a transaction-scoped advisory lock (`?` placeholder: portable raw SQL). */
export const XACT_LOCK_SQL = 'SELECT pg_advisory_xact_lock(?)';
