// `npm run receipt:verify -- FILE`: checks a consent receipt. FILE holds the compact JWS (as
// `Accept: application/jose` or the receipt page's download gives it) or the JSON answer / data
// export entry with a `jws` field; `-` reads stdin.
//   --jwks URL|FILE   the key set to verify against (default: this installation's keys in the data dir)
//   --no-db           only the signature; by default the receipt's ledger event must also be in the
//                     database (DATABASE_URL) with the same chain hash
// Exit 0 when the receipt verifies, 1 when it does not, 2 on a usage error.
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { createRemoteJWKSet, type JSONWebKeySet } from 'jose';
import { openDatabase, readTransaction } from '@/db/client';
import { appEnv, sqlitePathFromUrl } from '@/lib/config/env';
import { readReceiptJwks } from '@/lib/privacy/receipt-keys';
import { checkReceiptInLedger, receiptKid, verifyReceiptSignature } from '@/lib/privacy/receipts';
import { describeCliError } from './lib/cli-error';

function readToken(file: string): string {
  const text = (file === '-' ? fs.readFileSync(0, 'utf8') : fs.readFileSync(file, 'utf8')).trim();
  if (text.startsWith('{')) {
    const parsed = JSON.parse(text) as { jws?: unknown; token?: unknown };
    const token = parsed.jws ?? parsed.token;
    if (typeof token !== 'string') throw new Error(`${file}: JSON without a "jws" field`);
    return token.trim();
  }
  return text;
}

function keySet(source: string | undefined) {
  if (!source) {
    const local = readReceiptJwks();
    if (!local) throw new Error(`no receipt keys in ${appEnv().dataDir}/secrets; pass --jwks URL`);
    return local;
  }
  if (/^https?:\/\//.test(source)) return createRemoteJWKSet(new URL(source));
  return JSON.parse(fs.readFileSync(source, 'utf8')) as JSONWebKeySet;
}

function databaseAvailable(): boolean {
  const url = appEnv().DATABASE_URL;
  return !url.startsWith('file:') || fs.existsSync(sqlitePathFromUrl(url));
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { jwks: { type: 'string' }, 'no-db': { type: 'boolean', default: false } },
  });
  const file = positionals[0];
  if (!file) {
    console.error('usage: npm run receipt:verify -- FILE [--jwks URL|FILE] [--no-db]');
    return 2;
  }
  const token = readToken(file);
  const signature = await verifyReceiptSignature(token, keySet(values.jwks));
  if (!signature.ok) {
    console.error(
      `Receipt INVALID: the signature does not verify (key ${receiptKid(token) ?? '?'}): ${signature.reason}`,
    );
    console.log(JSON.stringify({ ok: false, signature: false }));
    return 1;
  }
  const { payload } = signature;
  console.log(
    `Signature valid (EdDSA, key ${signature.kid}): ${payload.event.action} of "${payload.purpose.key}" at ${payload.event.time}, ledger event ${payload.ledger.eventId}.`,
  );
  if (values['no-db'] || !databaseAvailable()) {
    console.log('Ledger not checked (no database).');
    console.log(JSON.stringify({ ok: true, signature: true, ledger: null, eventId: payload.ledger.eventId }));
    return 0;
  }
  const handle = openDatabase();
  const ledger = await readTransaction((db) => checkReceiptInLedger(db, payload), handle);
  if (!ledger.ok) {
    console.error(`Receipt INVALID: ${ledger.reason}`);
    console.log(
      JSON.stringify({ ok: false, signature: true, ledger: false, eventId: payload.ledger.eventId }),
    );
    return 1;
  }
  console.log(`Ledger event ${payload.ledger.eventId} is in the ledger with hash ${payload.ledger.hash}.`);
  console.log(JSON.stringify({ ok: true, signature: true, ledger: true, eventId: payload.ledger.eventId }));
  return 0;
}

main()
  .then((code) => process.exit(code))
  .catch((error: unknown) => {
    console.error('receipt:verify failed:', describeCliError(error));
    process.exit(2);
  });
