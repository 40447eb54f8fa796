import crypto from 'node:crypto';
import { and, desc, eq, lt, sql } from 'drizzle-orm';
import { appEnv, persistentSecret } from '@/lib/config/env';
import { getDb } from '../client';
import { rateLimits } from '../schema';

/** The longest window any caller uses; the prune job deletes windows that ended before it. */
export const LONGEST_RATE_WINDOW_MS = 60 * 60_000;

const bucketSecrets = new Map<string, string>();
/**
 * Buckets are named by who is counted (an IP, an address, a key id); the table keeps only a keyed
 * hash of that name (HMAC under a secret in the data directory), prefixed by its kind, so a copy
 * of the database lists no addresses or IPs and the hash cannot be reversed by guessing.
 */
export function hashedBucket(bucket: string): string {
  // Read from the data directory once per process (and per data directory, for tests).
  const dataDir = appEnv().dataDir;
  let secret = bucketSecrets.get(dataDir);
  if (!secret) bucketSecrets.set(dataDir, (secret = persistentSecret('rate-limit-key')));
  const kind = bucket.split(':')[0] ?? 'bucket';
  return `${kind}:${crypto.createHmac('sha256', secret).update(bucket, 'utf8').digest('base64url').slice(0, 32)}`;
}

export type RateLimitResult = { allowed: boolean; count: number; retryAfterSeconds: number };

/**
 * Counts one hit in a fixed window shared by every process on the database.
 * Returns allowed=false once the limit is passed in this window.
 */
export async function hitRateLimit(
  bucket: string,
  limit: number,
  windowMs: number,
  now = Date.now(),
): Promise<RateLimitResult> {
  const windowStart = now - (now % windowMs);
  const row = await getDb()
    .insert(rateLimits)
    .values({ bucket: hashedBucket(bucket), windowStart, count: 1 })
    .onConflictDoUpdate({
      target: [rateLimits.bucket, rateLimits.windowStart],
      set: { count: sql`${rateLimits.count} + 1` },
    })
    .returning({ count: rateLimits.count })
    .get();
  return {
    allowed: row.count <= limit,
    count: row.count,
    retryAfterSeconds: Math.max(1, Math.ceil((windowStart + windowMs - now) / 1000)),
  };
}

/** Reads the count in the current window without adding a hit. */
export async function peekRateLimit(bucket: string, windowMs: number, now = Date.now()): Promise<number> {
  const windowStart = now - (now % windowMs);
  const row = await getDb()
    .select({ count: rateLimits.count })
    .from(rateLimits)
    .where(
      and(
        sql`${rateLimits.bucket} = ${hashedBucket(bucket)}`,
        sql`${rateLimits.windowStart} = ${windowStart}`,
      ),
    )
    .get();
  return row?.count ?? 0;
}

/** Deletes windows that started before `olderThan` (ms); returns how many. */
export async function pruneRateLimits(olderThan: number): Promise<number> {
  return (await getDb().delete(rateLimits).where(lt(rateLimits.windowStart, olderThan)).run()).changes;
}

/**
 * A run of failures under one key (login: account + source). One row per key whose
 * `window_start` holds the time of the last failure, so pruning old windows also forgets an old
 * run. Returns undefined when there is none.
 */
export async function readFailureRun(bucket: string): Promise<{ count: number; lastAt: number } | undefined> {
  const hashed = hashedBucket(bucket);
  const row = await getDb()
    .select({ count: rateLimits.count, lastAt: rateLimits.windowStart })
    .from(rateLimits)
    .where(eq(rateLimits.bucket, hashed))
    .orderBy(desc(rateLimits.windowStart))
    .get();
  return row ?? undefined;
}

export async function recordFailureRun(bucket: string, now = Date.now()): Promise<number> {
  const hashed = hashedBucket(bucket);
  return await getDb().transaction(async (tx) => {
    const previous = await tx
      .select({ count: rateLimits.count })
      .from(rateLimits)
      .where(eq(rateLimits.bucket, hashed))
      .orderBy(desc(rateLimits.windowStart))
      .get();
    const count = (previous?.count ?? 0) + 1;
    await tx.delete(rateLimits).where(eq(rateLimits.bucket, hashed)).run();
    await tx.insert(rateLimits).values({ bucket: hashed, windowStart: now, count }).run();
    return count;
  });
}

export async function clearFailureRun(bucket: string): Promise<void> {
  await getDb()
    .delete(rateLimits)
    .where(eq(rateLimits.bucket, hashedBucket(bucket)))
    .run();
}
