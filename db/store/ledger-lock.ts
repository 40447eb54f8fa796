import { ADVISORY_LOCK_KEYS, XACT_LOCK_SQL } from '../advisory-locks';
import { dialectOf, sqlRun, type Db } from '../client';

/**
 * PostgreSQL: makes consent ledger appends take turns until COMMIT or ROLLBACK (must run inside a
 * transaction). SQLite needs nothing: its write transactions already run one at a time.
 */
export async function lockLedgerChain(db: Db): Promise<void> {
  if (dialectOf(db) === 'postgres') await sqlRun(db, XACT_LOCK_SQL, [ADVISORY_LOCK_KEYS.LEDGER_CHAIN]);
}
