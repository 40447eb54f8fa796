import type { Db } from '@/db/client';
import { tombstonedHashes } from '@/db/store/customers';
import { isTombstoned } from '@/lib/privacy/forget';
// The keyed hash erasure writes into tombstones.email_hash (privacy module), so both sides agree.
import { tombstoneHash } from '@/lib/privacy/crypto';

export function isAddressTombstoned(db: Db, email: string): boolean {
  return isTombstoned(db, email);
}

/** For batches (CSV import): which of these addresses are tombstoned, in few queries. */
export function tombstonedAddresses(db: Db, emails: string[]): Set<string> {
  const byHash = new Map(emails.map((email) => [tombstoneHash(email), email.trim().toLowerCase()]));
  const hits = tombstonedHashes(db, [...byHash.keys()]);
  return new Set([...hits].map((hash) => byHash.get(hash) ?? ''));
}
