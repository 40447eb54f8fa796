import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { verifyWebhookSignature } from './verify';

const secret = 'whsec_test';
const body = JSON.stringify({ id: 'e1', type: 'consent.changed', data: { customerId: 1 } });
const sign = (t: number, raw = body, key = secret) =>
  crypto.createHmac('sha256', key).update(`${t}.${raw}`).digest('hex');

describe('verifyWebhookSignature', () => {
  const now = 1_700_000_000_000;
  const t = now / 1000;
  it('accepts the right signature over timestamp and raw body', () => {
    expect(verifyWebhookSignature(secret, `t=${t},v1=${sign(t)}`, body, { now })).toEqual({
      ok: true,
      timestamp: t,
    });
  });
  it('refuses a changed body, another secret, an old timestamp and garbage', () => {
    expect(verifyWebhookSignature(secret, `t=${t},v1=${sign(t)}`, body.replace('1', '2'), { now })).toEqual({
      ok: false,
      reason: 'mismatch',
    });
    expect(verifyWebhookSignature(secret, `t=${t},v1=${sign(t, body, 'other')}`, body, { now })).toEqual({
      ok: false,
      reason: 'mismatch',
    });
    expect(verifyWebhookSignature(secret, `t=${t - 600},v1=${sign(t - 600)}`, body, { now })).toEqual({
      ok: false,
      reason: 'stale',
    });
    expect(verifyWebhookSignature(secret, 'nonsense', body, { now })).toEqual({
      ok: false,
      reason: 'malformed',
    });
    expect(verifyWebhookSignature(secret, `t=${t},v1=zz`, body, { now })).toEqual({
      ok: false,
      reason: 'mismatch',
    });
  });
});

describe('signWebhook and verifyWebhookSignature', () => {
  it('agree: what the dispatcher signs, the receiver check accepts', async () => {
    const { signWebhook } = await import('./sign');
    const t = Math.floor(Date.now() / 1000);
    expect(verifyWebhookSignature(secret, signWebhook(secret, t, body), body)).toEqual({
      ok: true,
      timestamp: t,
    });
  });
});

describe('the receiver snippet on the API docs page', () => {
  it('accepts what Tarmo signs and refuses a tampered body', async () => {
    const { RECEIVER_SNIPPET } = await import('./snippet');
    const { signWebhook } = await import('./sign');
    const source = /function verifyTarmoSignature[\s\S]*?\n}\n/.exec(RECEIVER_SNIPPET)?.[0];
    expect(source).toBeDefined();
    const verify = new Function('crypto', `${source}; return verifyTarmoSignature;`)(crypto) as (
      secret: string,
      header: string,
      raw: Buffer,
    ) => boolean;
    const header = signWebhook(secret, Math.floor(Date.now() / 1000), body);
    expect(verify(secret, header, Buffer.from(body))).toBe(true);
    expect(verify(secret, header, Buffer.from(body + ' '))).toBe(false);
  });
});
