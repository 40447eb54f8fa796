// `npm run db:restore -- FILE`: restores a db:backup file into the empty database of DATABASE_URL,
// applies newer migrations, and verifies the consent ledger (with the ledger key of
// $TARMO_DATA_DIR/secrets, restored from the same backup). Exit 0 when the ledger is intact.
import fs from 'node:fs';
import path from 'node:path';
import { restoreDatabase } from '@/db/backup';
import { closeDatabase, openDatabase } from '@/db/client';
import { migrateDatabase } from '@/db/migrate';
import { appEnv } from '@/lib/config/env';
import { verifyLedger } from '@/lib/privacy/ledger';
import { describeCliError } from './lib/cli-error';

async function main(): Promise<number> {
  const file = process.argv.slice(2).find((arg) => !arg.startsWith('-'));
  if (!file) throw new Error('usage: npm run db:restore -- FILE');
  const { DATABASE_URL: url, dataDir } = appEnv();
  // Checked first: verifying without the key would generate a new one that fits no event.
  const ledgerKey = path.join(dataDir, 'secrets', 'ledger-key');
  if (!fs.existsSync(ledgerKey))
    throw new Error(`${ledgerKey} is missing: restore the secrets directory of the backup first`);
  await restoreDatabase(url, file);
  await migrateDatabase(url);
  const result = await verifyLedger(openDatabase(url));
  await closeDatabase(url);
  if (!result.ok) {
    console.error(
      `Restored, but the consent ledger is BROKEN at event ${result.firstBrokenEventId}: ${result.message}`,
    );
    console.log(JSON.stringify({ ok: false, checked: result.checked }));
    return 1;
  }
  console.log(`Restored ${file}; consent ledger intact: ${result.message}.`);
  console.log(JSON.stringify({ ok: true, checked: result.checked }));
  return 0;
}

main()
  .then((code) => process.exit(code))
  .catch((error: unknown) => {
    console.error('db:restore failed:', describeCliError(error));
    process.exit(2);
  });
