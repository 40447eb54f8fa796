import { and, desc, eq } from 'drizzle-orm';
import { getDb } from '../client';
import { apiKeys, idempotencyKeys } from '../schema';
import { type ApiScope } from '@/lib/vocabulary';

export type ApiKeyRow = typeof apiKeys.$inferSelect;

export async function insertApiKey(input: {
  name: string;
  prefix: string;
  keyHash: string;
  scopes: ApiScope[];
  createdBy?: number | null;
  expiresAt?: Date | null;
}): Promise<ApiKeyRow> {
  return await getDb()
    .insert(apiKeys)
    .values({
      name: input.name,
      prefix: input.prefix,
      keyHash: input.keyHash,
      scopes: input.scopes,
      createdBy: input.createdBy ?? null,
      expiresAt: input.expiresAt ?? null,
    })
    .returning()
    .get();
}

export async function findApiKeyByHash(keyHash: string): Promise<ApiKeyRow | undefined> {
  return await getDb().select().from(apiKeys).where(eq(apiKeys.keyHash, keyHash)).get();
}

export async function listApiKeys(): Promise<ApiKeyRow[]> {
  return await getDb().select().from(apiKeys).orderBy(desc(apiKeys.id)).all();
}

export async function revokeApiKey(id: number, at = new Date()): Promise<boolean> {
  const result = await getDb().update(apiKeys).set({ revokedAt: at }).where(eq(apiKeys.id, id)).run();
  return result.changes > 0;
}

export async function touchApiKey(id: number, at = new Date()): Promise<void> {
  await getDb().update(apiKeys).set({ lastUsedAt: at }).where(eq(apiKeys.id, id)).run();
}

export type StoredIdempotentResponse = { requestHash: string; status: number; body: string };

/**
 * Reserves an idempotency key before the request runs (status 0 = in progress), so two
 * concurrent retries cannot both execute. Returns the existing row when the key was taken.
 */
export async function reserveIdempotencyKey(
  apiKeyId: number,
  key: string,
  requestHash: string,
): Promise<{ reserved: true } | { reserved: false; existing: StoredIdempotentResponse }> {
  const db = getDb();
  const inserted = await db
    .insert(idempotencyKeys)
    .values({ apiKeyId, key, requestHash, status: 0, body: '' })
    .onConflictDoNothing()
    .run();
  if (inserted.changes > 0) return { reserved: true };
  const existing = await db
    .select({
      requestHash: idempotencyKeys.requestHash,
      status: idempotencyKeys.status,
      body: idempotencyKeys.body,
    })
    .from(idempotencyKeys)
    .where(and(eq(idempotencyKeys.apiKeyId, apiKeyId), eq(idempotencyKeys.key, key)))
    .get();
  if (!existing) return reserveIdempotencyKey(apiKeyId, key, requestHash);
  return { reserved: false, existing };
}

export async function completeIdempotencyKey(
  apiKeyId: number,
  key: string,
  status: number,
  body: string,
  customerId: number | null = null,
): Promise<void> {
  await getDb()
    .update(idempotencyKeys)
    .set({ status, body, customerId })
    .where(and(eq(idempotencyKeys.apiKeyId, apiKeyId), eq(idempotencyKeys.key, key)))
    .run();
}

/** Frees a reservation whose request failed unexpectedly, so a retry may run it again. */
export async function releaseIdempotencyKey(apiKeyId: number, key: string): Promise<void> {
  await getDb()
    .delete(idempotencyKeys)
    .where(
      and(
        eq(idempotencyKeys.apiKeyId, apiKeyId),
        eq(idempotencyKeys.key, key),
        eq(idempotencyKeys.status, 0),
      ),
    )
    .run();
}
