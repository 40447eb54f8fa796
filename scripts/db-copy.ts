// `npm run db:copy -- --from file:./data/tarmo.db --to postgres://user@host/db [--batch 1000]`
// Moves a workspace from SQLite into an empty PostgreSQL database and verifies the ledger chain
// on the copy. Stop the web app and workers first. The ledger key (data/secrets/ledger-key, or
// TARMO_DATA_DIR) must be the one the source was written with, and the PostgreSQL deployment
// must use the same key afterwards.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { copySqliteToPostgres } from '@/db/pg/copy';
import { isPostgresUrl } from '@/db/pg/pool';
import { appEnv, resetAppEnv } from '@/lib/config/env';
import { verifyLedger } from '@/lib/privacy/ledger';
import { describeCliError } from './lib/cli-error';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { from: { type: 'string' }, to: { type: 'string' }, batch: { type: 'string' } },
  });
  const from = values.from ?? 'file:./data/tarmo.db';
  const to = values.to;
  if (!to || !isPostgresUrl(to)) {
    console.error('usage: npm run db:copy -- --from file:./data/tarmo.db --to postgres://user@host:5432/db');
    return 2;
  }
  if (isPostgresUrl(from)) {
    console.error('--from must be a SQLite file: URL');
    return 2;
  }
  // The ledger key is found the way the source app found it: from its data dir.
  process.env.DATABASE_URL = from;
  resetAppEnv();
  const keyFile = path.join(appEnv().dataDir, 'secrets', 'ledger-key');
  if (!fs.existsSync(keyFile)) {
    console.error(`no ledger key at ${keyFile}: set TARMO_DATA_DIR to the source's data directory`);
    return 2;
  }
  const target = new URL(to);
  console.log(`copying ${from} → PostgreSQL ${target.host}${target.pathname}`);
  const report = await copySqliteToPostgres({
    from,
    to,
    batchSize: values.batch ? Number(values.batch) : undefined,
    log: (line) => console.log(`  ${line}`),
    // The store's own verification (the one `npm run ledger:verify` runs), on the copy.
    verify: verifyLedger,
  });
  const rows = report.tables.reduce((sum, table) => sum + table.rows, 0);
  console.log(`${rows} rows in ${report.tables.length} tables copied`);
  if (!report.ledger.ok) {
    console.error(`LEDGER CHECK FAILED on the copy: ${report.ledger.message}`);
    return 1;
  }
  console.log(`ledger verified on the copy: ${report.ledger.message}`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error('db:copy failed:', describeCliError(error));
    process.exit(1);
  },
);
