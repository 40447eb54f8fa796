// `npm run ledger:verify`: walks the consent ledger's hash chain. Exit 0 when intact; exit 1 and
// the first broken event id when an event was altered, removed or inserted outside Tarmo.
// Works on either store: DATABASE_URL=postgres://… verifies the PostgreSQL database.
import { verifyLedger } from '@/lib/privacy/ledger';

verifyLedger()
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
