import { and, desc, eq, isNull } from 'drizzle-orm';
import type { Db } from '../client';
import { contactBlocks } from '../schema';
import { BLOCK_REASONS, BLOCK_SCOPES, CHANNELS } from '@/lib/vocabulary';

export type BlockRow = typeof contactBlocks.$inferSelect;
export type BlockScope = (typeof BLOCK_SCOPES)[number];
export type BlockReason = (typeof BLOCK_REASONS)[number];
export type Channel = (typeof CHANNELS)[number];

export async function insertBlock(
  db: Db,
  row: {
    customerId: number | null;
    address: string | null;
    scope: BlockScope;
    channel: Channel | null;
    themeKey: string | null;
    reason: BlockReason;
    evidence: string;
    setAt: Date;
    setBy: string;
  },
): Promise<BlockRow> {
  return await db.insert(contactBlocks).values(row).returning().get();
}

export async function blockById(db: Db, id: number): Promise<BlockRow | undefined> {
  return await db.select().from(contactBlocks).where(eq(contactBlocks.id, id)).get();
}

/** Lifting is the only change a block ever gets; false when it was already lifted. */
export async function liftBlock(
  db: Db,
  id: number,
  lift: { liftedAt: Date; liftedBy: string; liftReason: string },
): Promise<boolean> {
  return (
    (
      await db
        .update(contactBlocks)
        .set(lift)
        .where(and(eq(contactBlocks.id, id), isNull(contactBlocks.liftedAt)))
        .run()
    ).changes === 1
  );
}

export async function blocksOf(db: Db, customerId: number): Promise<BlockRow[]> {
  return await db
    .select()
    .from(contactBlocks)
    .where(eq(contactBlocks.customerId, customerId))
    .orderBy(desc(contactBlocks.id))
    .all();
}

export async function blocksForAddress(db: Db, address: string): Promise<BlockRow[]> {
  return await db.select().from(contactBlocks).where(eq(contactBlocks.address, address)).all();
}

/**
 * Erasure: blocks stay (they keep protecting the person) but lose the address and any free-text
 * evidence, which may quote personal data.
 */
export async function redactBlocksOf(db: Db, customerId: number, address: string | null): Promise<number> {
  const redacted = { address: null, evidence: '[redacted on erasure]' };
  let changed = (
    await db.update(contactBlocks).set(redacted).where(eq(contactBlocks.customerId, customerId)).run()
  ).changes;
  if (address)
    changed += (await db.update(contactBlocks).set(redacted).where(eq(contactBlocks.address, address)).run())
      .changes;
  return changed;
}
