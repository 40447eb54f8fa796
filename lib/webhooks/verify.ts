import crypto from 'node:crypto';

/**
 * Receiver-side check of a Tarmo webhook (also what the docs page shows integrators).
 * Tarmo sends `X-Tarmo-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`
 * keyed with the subscription's secret. Verify over the raw body bytes, in constant time, and
 * refuse old timestamps so a captured delivery cannot be replayed later.
 */
export { WEBHOOK_SIGNATURE_HEADER as SIGNATURE_HEADER } from './sign';
export const DEFAULT_TOLERANCE_SECONDS = 300;

export type VerifyResult =
  { ok: true; timestamp: number } | { ok: false; reason: 'malformed' | 'stale' | 'mismatch' };

export function verifyWebhookSignature(
  secret: string,
  header: string | null | undefined,
  rawBody: string | Buffer,
  options: { toleranceSeconds?: number; now?: number } = {},
): VerifyResult {
  if (!header) return { ok: false, reason: 'malformed' };
  const parts = new Map<string, string[]>();
  for (const piece of header.split(',')) {
    const [name, value] = piece.trim().split('=', 2);
    if (!name || !value) continue;
    parts.set(name, [...(parts.get(name) ?? []), value]);
  }
  const timestamp = Number(parts.get('t')?.[0]);
  const signatures = parts.get('v1') ?? [];
  if (!Number.isInteger(timestamp) || signatures.length === 0) return { ok: false, reason: 'malformed' };
  const nowSeconds = Math.floor((options.now ?? Date.now()) / 1000);
  if (Math.abs(nowSeconds - timestamp) > (options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS))
    return { ok: false, reason: 'stale' };
  const expected = crypto.createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest();
  // Several v1 values may be present while a secret is being rotated.
  const matches = signatures.some((candidate) => {
    const given = /^[0-9a-f]{64}$/i.test(candidate) ? Buffer.from(candidate, 'hex') : null;
    return !!given && crypto.timingSafeEqual(given, expected);
  });
  return matches ? { ok: true, timestamp } : { ok: false, reason: 'mismatch' };
}
