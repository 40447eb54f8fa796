import type { Db } from '@/db/client';
import { tombstonedHashes } from '@/db/store/customers';
import { isTombstoned } from '@/lib/privacy/forget';
// The keyed hash erasure writes into tombstones.email_hash (privacy module), so both sides agree.
import { tombstoneHashes } from '@/lib/privacy/crypto';

export async function isAddressTombstoned(db: Db, email: string): Promise<boolean> {
  return await isTombstoned(db, email);
}

/** For batches (CSV import): which of these addresses are tombstoned, in few queries. */
export async function tombstonedAddresses(db: Db, emails: string[]): Promise<Set<string>> {
  const hashes = tombstoneHashes(emails);
  const byHash = new Map(hashes.map((hash, index) => [hash, emails[index]!.trim().toLowerCase()]));
  const hits = await tombstonedHashes(db, [...byHash.keys()]);
  return new Set([...hits].map((hash) => byHash.get(hash) ?? ''));
}
