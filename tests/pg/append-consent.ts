// Another process writing to the ledger (tests/pg/notify.test.ts): one grant through the store's
// ledger (lib/privacy/ledger.ts), prints the event id.
// Usage: node --import tsx tests/pg/append-consent.ts <postgres-url> <customer-id> <purpose-key>
import { closeDatabase, openDatabase, writeTransaction } from '@/db/client';
import { recordConsentEvent } from '@/lib/privacy/ledger';

const [url, customerId, purposeKey] = process.argv.slice(2);

async function main(): Promise<void> {
  const result = await writeTransaction(
    async (db) =>
      await recordConsentEvent(db, {
        customerId: Number(customerId),
        purposeKey,
        action: 'grant',
        source: 'api',
        evidence: { via: 'child process' },
      }),
    openDatabase(url),
  );
  console.log(JSON.stringify({ eventId: result.eventId }));
  await closeDatabase(url);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
