import { receiptKeySet } from '@/lib/privacy/receipt-http';

export const dynamic = 'force-dynamic';

/** The public keys (JWKS) that verify consent receipts; old keys stay after a rotation. */
export async function GET() {
  return Response.json(await receiptKeySet(), {
    headers: {
      'content-type': 'application/jwk-set+json',
      'cache-control': 'public, max-age=300',
      'access-control-allow-origin': '*',
      'x-content-type-options': 'nosniff',
    },
  });
}
