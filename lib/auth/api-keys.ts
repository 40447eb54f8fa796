import crypto from 'node:crypto';
import { z } from 'zod';
import { API_SCOPES, type ApiScope } from '@/lib/vocabulary';
import {
  findApiKeyByHash,
  insertApiKey,
  listApiKeys,
  revokeApiKey,
  touchApiKey,
  type ApiKeyRow,
} from '@/db/store/api-keys';
import { recordAudit } from '@/db/store/audit';
import { err, ok, type Failure, type Result } from '@/lib/result';
import { noteRequestActor } from '@/lib/config/log';

export type { ApiKeyRow };

export const API_KEY_PREFIX = 'tarmo_';

export const createApiKeySchema = z.object({
  name: z.string().trim().min(1, 'Give the key a name').max(100),
  scopes: z.array(z.enum(API_SCOPES)).min(1, 'Choose at least one scope'),
  expiresAt: z.coerce.date().optional().nullable(),
});

export type CreatedApiKey = { id: number; name: string; scopes: ApiScope[]; prefix: string; key: string };

export function hashApiKey(key: string): string {
  return crypto.createHash('sha256').update(key, 'utf8').digest('hex');
}

/** Creates a key: 32 random bytes; only its sha256 is stored, the clear key is returned once. */
export async function createApiKey(
  input: z.input<typeof createApiKeySchema>,
  actor: { type: 'user' | 'system'; id?: number | null },
): Promise<CreatedApiKey> {
  const data = createApiKeySchema.parse(input);
  const key = API_KEY_PREFIX + crypto.randomBytes(32).toString('base64url');
  const row = await insertApiKey({
    name: data.name,
    prefix: key.slice(0, API_KEY_PREFIX.length + 6),
    keyHash: hashApiKey(key),
    scopes: [...new Set(data.scopes)],
    createdBy: actor.type === 'user' ? (actor.id ?? null) : null,
    expiresAt: data.expiresAt ?? null,
  });
  await recordAudit({
    actorType: actor.type,
    actorId: actor.id ?? null,
    action: 'api_key.created',
    targetType: 'api_key',
    targetId: row.id,
    details: { scopes: row.scopes },
  });
  return { id: row.id, name: row.name, scopes: row.scopes, prefix: row.prefix, key };
}

export type ApiKeyAuth = Result<
  ApiKeyRow,
  Failure<'missing_key' | 'invalid_key' | 'revoked_key' | 'expired_key' | 'insufficient_scope'>
>;

/**
 * Resolves a presented key. The lookup is by hash (an index probe, not a secret comparison);
 * the stored hash is then compared in constant time anyway so no timing depends on the secret.
 */
export async function verifyApiKey(
  presented: string | null,
  scope: ApiScope,
  now = new Date(),
): Promise<ApiKeyAuth> {
  if (!presented) return err('missing_key', 'Send the API key as "Authorization: Bearer <key>"');
  const presentedHash = hashApiKey(presented);
  const row = presented.startsWith(API_KEY_PREFIX) ? await findApiKeyByHash(presentedHash) : undefined;
  if (!row || !constantTimeEqualHex(row.keyHash, presentedHash)) {
    return err('invalid_key', 'The API key is not valid');
  }
  noteRequestActor({ apiKeyId: row.id });
  if (row.revokedAt) return err('revoked_key', 'The API key was revoked');
  if (row.expiresAt && row.expiresAt.getTime() <= now.getTime()) {
    return err('expired_key', 'The API key has expired');
  }
  if (!row.scopes.includes(scope)) {
    return err('insufficient_scope', `This key lacks the "${scope}" scope`);
  }
  // Last use is coarse (per minute) so busy keys do not write on every request.
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > 60_000) await touchApiKey(row.id, now);
  return ok(row);
}

export function constantTimeEqualHex(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && crypto.timingSafeEqual(left, right);
}

export async function revokeKey(
  id: number,
  actor: { type: 'user' | 'system'; id?: number | null },
): Promise<boolean> {
  const done = await revokeApiKey(id);
  if (done)
    await recordAudit({
      actorType: actor.type,
      actorId: actor.id ?? null,
      action: 'api_key.revoked',
      targetType: 'api_key',
      targetId: id,
    });
  return done;
}

export type ApiKeySummary = Omit<ApiKeyRow, 'keyHash'>;

export async function listKeySummaries(): Promise<ApiKeySummary[]> {
  return (await listApiKeys()).map(({ keyHash: _hash, ...rest }) => rest);
}
