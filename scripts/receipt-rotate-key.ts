// `npm run receipt:rotate-key`: adds a new Ed25519 key that signs consent receipts from now on.
// The old public keys stay in the JWKS (/.well-known/tarmo-receipt-keys.json), so receipts signed
// before still verify. Every process picks the new key up when the key file changes.
import { receiptJwks, rotateReceiptKey } from '@/lib/privacy/receipt-keys';
import { describeCliError } from './lib/cli-error';

async function main(): Promise<number> {
  const kid = await rotateReceiptKey();
  const published = (await receiptJwks()).keys.length;
  console.log(`New receipt signing key ${kid}; ${published} keys published.`);
  console.log(JSON.stringify({ kid, published }));
  return 0;
}

main()
  .then((code) => process.exit(code))
  .catch((error: unknown) => {
    console.error('receipt:rotate-key failed:', describeCliError(error));
    process.exit(2);
  });
