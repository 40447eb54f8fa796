import { and, eq, inArray, isNull, lte } from 'drizzle-orm';
import type { Db } from '../client';
import { tokens, type TokenKind } from '../schema';
import { prepared } from './enrollments';

export type TokenRow = typeof tokens.$inferSelect;

/**
 * One prepared INSERT: every marketing mail creates an unsubscribe link, so this is on the
 * executor's hot path (drizzle's insert builder cost more than the insert, measured).
 */
export function insertToken(
  db: Db,
  row: {
    kind: TokenKind;
    tokenHash: string;
    customerId: number | null;
    purposeId?: number | null;
    payload?: Record<string, unknown>;
    expiresAt: Date;
    createdAt?: Date;
  },
): number {
  // lastInsertRowid instead of RETURNING: the same id, measured ~3 µs cheaper per row.
  const inserted = prepared(
    db,
    `INSERT INTO tokens (kind, token_hash, customer_id, purpose_id, payload, created_at, expires_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    row.kind,
    row.tokenHash,
    row.customerId,
    row.purposeId ?? null,
    JSON.stringify(row.payload ?? {}),
    (row.createdAt ?? new Date()).getTime(),
    row.expiresAt.getTime(),
  );
  return Number(inserted.lastInsertRowid);
}

/** Looks a token up by the sha256 of its secret (an indexed equality on a hash, not on the secret). */
export function tokenByHash(db: Db, tokenHash: string): TokenRow | undefined {
  return db.select().from(tokens).where(eq(tokens.tokenHash, tokenHash)).get();
}

/** Marks a single-use token used; false when someone else used it first (replay or race). */
export function markTokenUsed(db: Db, id: number, at: Date): boolean {
  return (
    db
      .update(tokens)
      .set({ usedAt: at })
      .where(and(eq(tokens.id, id), isNull(tokens.usedAt)))
      .run().changes === 1
  );
}

/** Unused tokens of a kind whose time is up. */
export function expiredUnusedTokens(db: Db, kind: TokenKind, now: Date, limit = 500): TokenRow[] {
  return db
    .select()
    .from(tokens)
    .where(and(eq(tokens.kind, kind), isNull(tokens.usedAt), lte(tokens.expiresAt, now)))
    .limit(limit)
    .all();
}

export function deleteTokensOf(db: Db, customerId: number): number {
  return db.delete(tokens).where(eq(tokens.customerId, customerId)).run().changes;
}

export function unusedTokensOf(db: Db, customerId: number, kinds: TokenKind[]): TokenRow[] {
  return db
    .select()
    .from(tokens)
    .where(and(eq(tokens.customerId, customerId), inArray(tokens.kind, kinds), isNull(tokens.usedAt)))
    .all();
}

export function setTokenPayload(db: Db, id: number, payload: Record<string, unknown>): void {
  db.update(tokens).set({ payload }).where(eq(tokens.id, id)).run();
}
