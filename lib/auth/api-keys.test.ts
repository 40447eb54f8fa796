import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { useTempDatabase } from '@/tests/helpers/db';
import { apiKeys } from '@/db/schema';
import { httpError } from '@/lib/result';
import { createApiKey, hashApiKey, revokeKey, verifyApiKey } from './api-keys';

/** The failure code and the HTTP status it answers with, or null when the key is accepted. */
async function refusal(...args: Parameters<typeof verifyApiKey>) {
  const result = await verifyApiKey(...args);
  return result.ok ? null : { code: result.error.code, status: httpError(result.error).status };
}

const db = useTempDatabase();

describe('API keys', () => {
  it('stores only the sha256 of a 32-byte key and shows the key once', async () => {
    const created = await createApiKey({ name: 'shop', scopes: ['read', 'write'] }, { type: 'system' });
    expect(created.key).toMatch(/^tarmo_[A-Za-z0-9_-]{43}$/);
    const row = await db.handle().db.select().from(apiKeys).where(eq(apiKeys.id, created.id)).get();
    expect(row?.keyHash).toBe(hashApiKey(created.key));
    expect(JSON.stringify(row)).not.toContain(created.key);
  });

  it('checks scope, revocation and expiry', async () => {
    const read = await createApiKey({ name: 'reader', scopes: ['read'] }, { type: 'system' });
    expect((await verifyApiKey(read.key, 'read')).ok).toBe(true);
    expect(await refusal(read.key, 'write')).toEqual({ status: 403, code: 'insufficient_scope' });
    expect(await refusal(`${read.key}x`, 'read')).toEqual({ status: 401, code: 'invalid_key' });
    expect(await refusal(null, 'read')).toEqual({ status: 401, code: 'missing_key' });
    await revokeKey(read.id, { type: 'system' });
    expect(await refusal(read.key, 'read')).toEqual({ status: 401, code: 'revoked_key' });
    const old = await createApiKey(
      { name: 'old', scopes: ['read'], expiresAt: new Date(Date.now() - 1000) },
      { type: 'system' },
    );
    expect(await refusal(old.key, 'read')).toEqual({ status: 401, code: 'expired_key' });
  });
});
