import { and, lt, sql } from 'drizzle-orm';
import { getDb } from '../client';
import { rateLimits } from '../schema';

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
    .values({ bucket, windowStart, count: 1 })
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
    .where(and(sql`${rateLimits.bucket} = ${bucket}`, sql`${rateLimits.windowStart} = ${windowStart}`))
    .get();
  return row?.count ?? 0;
}

export async function pruneRateLimits(olderThan: number): Promise<void> {
  await getDb().delete(rateLimits).where(lt(rateLimits.windowStart, olderThan)).run();
}
