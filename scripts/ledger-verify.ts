// `npm run ledger:verify`: walks the consent ledger's hash chain. Exit 0 when intact; exit 1 and
// the first broken event id when an event was altered, removed or inserted outside Tarmo.
// Works on either store: DATABASE_URL=postgres://… verifies the PostgreSQL copy.
import { verifyLedger, type LedgerVerification } from '@/lib/privacy/ledger';
import { isPostgresUrl, openPostgres } from '@/db/pg/client';
import { verifyLedgerPostgres } from '@/db/pg/ledger';

async function verifyConfiguredStore(): Promise<LedgerVerification> {
  const url = process.env.DATABASE_URL;
  if (url && isPostgresUrl(url)) {
    const { pool } = openPostgres(url);
    try {
      return await verifyLedgerPostgres(pool);
    } finally {
      await pool.end();
    }
  }
  return verifyLedger();
}

verifyConfiguredStore()
  .then((result) => {
    if (result.ok) {
      console.log(`Consent ledger intact: ${result.checked} events verified.`);
      console.log(JSON.stringify({ ok: true, checked: result.checked }));
      process.exit(0);
    }
    console.error(`Consent ledger BROKEN at event ${result.firstBrokenEventId}: ${result.message}`);
    console.log(
      JSON.stringify({ ok: false, checked: result.checked, firstBrokenEventId: result.firstBrokenEventId }),
    );
    process.exit(1);
  })
  .catch((error: unknown) => {
    console.error('ledger:verify failed:', error instanceof Error ? error.message : error);
    process.exit(2);
  });
