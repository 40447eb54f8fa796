// Another process writing to the ledger (tests/pg/notify.test.ts): one grant, prints the event id.
// Usage: node --import tsx tests/pg/append-consent.ts <postgres-url> <customer-id> <purpose-key>
import { closePostgres, openPostgres } from '@/db/pg/client';
import { recordConsentPostgres } from '@/db/pg/ledger';

const [url, customerId, purposeKey] = process.argv.slice(2);

async function main(): Promise<void> {
  const { pool } = openPostgres(url, { max: 1 });
  const result = await recordConsentPostgres(pool, {
    customerId: Number(customerId),
    purposeKey,
    action: 'grant',
    source: 'api',
    evidence: { via: 'child process' },
  });
  console.log(JSON.stringify({ eventId: result.eventId }));
  await closePostgres(url);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
