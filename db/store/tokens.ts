import { and, eq, isNull, lte } from 'drizzle-orm';
import type { Db } from '../client';
import { sqlInsertId } from '../client';
import { tokens } from '../schema';
import { type TokenKind } from '@/lib/vocabulary';

export type TokenRow = typeof tokens.$inferSelect;

export interface NewToken {
  kind: TokenKind;
  tokenHash: string;
  customerId: number | null;
  purposeId?: number | null;
  payload?: Record<string, unknown>;
  expiresAt: Date;
  createdAt?: Date;
}

function tokenValues(row: NewToken): unknown[] {
  return [
    row.kind,
    row.tokenHash,
    row.customerId,
    row.purposeId ?? null,
    JSON.stringify(row.payload ?? {}),
    (row.createdAt ?? new Date()).getTime(),
    row.expiresAt.getTime(),
  ];
}

export async function insertToken(db: Db, row: NewToken): Promise<number> {
  const id = await sqlInsertId(
    db,
    `INSERT INTO tokens (kind, token_hash, customer_id, purpose_id, payload, created_at, expires_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
    tokenValues(row),
  );
  return id!;
}

/** Looks a token up by the sha256 of its secret (an indexed equality on a hash, not on the secret). */
export async function tokenByHash(db: Db, tokenHash: string): Promise<TokenRow | undefined> {
  return await db.select().from(tokens).where(eq(tokens.tokenHash, tokenHash)).get();
}

/** Marks a single-use token used; false when someone else used it first (replay or race). */
export async function markTokenUsed(db: Db, id: number, at: Date): Promise<boolean> {
  return (
    (
      await db
        .update(tokens)
        .set({ usedAt: at })
        .where(and(eq(tokens.id, id), isNull(tokens.usedAt)))
        .run()
    ).changes === 1
  );
}

/** Unused tokens of a kind whose time is up. */
export async function expiredUnusedTokens(
  db: Db,
  kind: TokenKind,
  now: Date,
  limit = 500,
): Promise<TokenRow[]> {
  return await db
    .select()
    .from(tokens)
    .where(and(eq(tokens.kind, kind), isNull(tokens.usedAt), lte(tokens.expiresAt, now)))
    .limit(limit)
    .all();
}

export async function deleteTokensOf(db: Db, customerId: number): Promise<number> {
  return (await db.delete(tokens).where(eq(tokens.customerId, customerId)).run()).changes;
}

export async function setTokenPayload(db: Db, id: number, payload: Record<string, unknown>): Promise<void> {
  await db.update(tokens).set({ payload }).where(eq(tokens.id, id)).run();
}
