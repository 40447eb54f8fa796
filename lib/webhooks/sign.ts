import crypto from 'node:crypto';

/**
 * The signature header of a webhook delivery: HMAC-SHA256 over `<timestamp>.<body>` with the
 * endpoint's secret, as `t=<unix seconds>,v1=<hex>`. Signing the timestamp with the body lets a
 * receiver reject replays of an old delivery.
 */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  const digest = crypto.createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex');
  return `t=${timestamp},v1=${digest}`;
}

export const WEBHOOK_SIGNATURE_HEADER = 'X-Tarmo-Signature';
