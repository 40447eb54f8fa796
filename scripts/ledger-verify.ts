// `npm run ledger:verify`: walks the consent ledger's hash chain and checks it against its signed
// checkpoints. Exit 0 when intact; exit 1 and the first broken event id when an event was altered,
// removed or inserted, evidence was rewritten or deleted, or the newest events were cut off.
//   --checkpoint          also write a signed checkpoint of the current head (after verifying)
//   --export-head FILE    write the current head (count, id, hash, signature) for an auditor to keep
//   --expect-head FILE|COUNT:HASH   the chain must still contain that head
// Works on either store: DATABASE_URL=postgres://… verifies the PostgreSQL database.
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { openDatabase } from '@/db/client';
import { verifyLedger } from '@/lib/privacy/ledger';
import { currentSignedHead, writeLedgerCheckpoint } from '@/lib/privacy/ledger-checkpoints';
import { exportLedgerHead, parseExpectedHead, type ExpectedHead } from '@/lib/privacy/ledger-head';
import { describeCliError } from './lib/cli-error';

function readExpectedHead(value: string): ExpectedHead {
  const text = /^\d+:[a-f0-9]{64}$/.test(value.trim()) ? value : fs.readFileSync(value, 'utf8');
  const head = parseExpectedHead(text);
  if (!head) throw new Error('--expect-head: neither COUNT:HASH nor a head exported by --export-head');
  return head;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      checkpoint: { type: 'boolean', default: false },
      'export-head': { type: 'string' },
      'expect-head': { type: 'string' },
    },
  });
  const expectHead = values['expect-head'] ? readExpectedHead(values['expect-head']) : undefined;
  const handle = openDatabase();
  const result = await verifyLedger(handle, { expectHead });
  if (!result.ok) {
    console.error(`Consent ledger BROKEN at event ${result.firstBrokenEventId}: ${result.message}`);
    console.log(
      JSON.stringify({ ok: false, checked: result.checked, firstBrokenEventId: result.firstBrokenEventId }),
    );
    return 1;
  }
  console.log(`Consent ledger intact: ${result.message}.`);
  if (values.checkpoint) {
    const { checkpoint, written } = await writeLedgerCheckpoint(handle);
    console.log(
      checkpoint
        ? `Checkpoint ${written ? 'written' : 'already present'}: ${checkpoint.eventCount} events, head ${checkpoint.headHash}`
        : 'No events yet: nothing to anchor.',
    );
  }
  const exportTo = values['export-head'];
  let head: string | null = null;
  if (exportTo) {
    const signed = await currentSignedHead(handle);
    if (!signed) throw new Error('--export-head: the ledger has no events yet');
    fs.writeFileSync(exportTo, exportLedgerHead(signed), { mode: 0o600 });
    head = `${signed.eventCount}:${signed.headHash}`;
    console.log(
      `Head written to ${exportTo} (${head}); keep it outside Tarmo and check later with --expect-head.`,
    );
  }
  console.log(
    JSON.stringify({
      ok: true,
      checked: result.checked,
      checkpoints: result.checkpoints ?? 0,
      ...(head ? { head } : {}),
    }),
  );
  return 0;
}

main()
  .then((code) => process.exit(code))
  .catch((error: unknown) => {
    console.error('ledger:verify failed:', describeCliError(error));
    process.exit(2);
  });
