import type { Db } from '@/db/client';
import { insertAudit } from '@/db/store/audit';
import {
  blockById,
  blocksForAddress,
  insertBlock,
  liftBlock,
  type BlockReason,
  type BlockScope,
  type Channel,
} from '@/db/store/blocks';
import { cancelQueuedMail } from '@/db/store/consent';
import { customerById } from '@/db/store/privacy-customers';
import { wakeEnrollments, waitKeys } from '@/db/store/wakeups';
import { enqueueWebhookEvent } from '@/lib/webhooks/enqueue';
import { err, ok, type Failure, type Result } from '@/lib/result';

export type SetBlockInput = {
  customerId?: number | null;
  /** For scope 'address' (lower-cased); defaults to the customer's address. */
  address?: string | null;
  scope: BlockScope;
  channel?: Channel | null;
  themeKey?: string | null;
  reason: BlockReason;
  evidence: string;
  /** Who set it: 'user:<id>', 'customer', 'journey:<id>', 'system:bounce'… */
  setBy: string;
  now?: Date;
};

/** Refused when the customer is unknown or a field the scope needs is missing (named in `field`). */
export type SetBlockResult = Result<{ blockId: number }, Failure<'unknown_customer' | 'invalid_field'>>;

/** Sets a contact block (never edited afterwards, only lifted), in the caller's transaction. */
export async function setContactBlock(db: Db, input: SetBlockInput): Promise<SetBlockResult> {
  const now = input.now ?? new Date();
  const customer = input.customerId ? await customerById(db, input.customerId) : undefined;
  if (input.customerId && !customer) return err('unknown_customer', 'unknown customer');
  if (input.scope === 'channel' && !input.channel)
    return err('invalid_field', 'a channel block needs a channel', { field: 'channel' });
  if (input.scope === 'theme' && !input.themeKey)
    return err('invalid_field', 'a theme block needs a theme', { field: 'themeKey' });
  const address =
    input.scope === 'address'
      ? (input.address ?? customer?.email ?? null)?.trim().toLowerCase() || null
      : null;
  if (input.scope === 'address' && !address)
    return err('invalid_field', 'an address block needs an address', { field: 'address' });
  if (input.scope !== 'address' && !customer)
    return err('invalid_field', 'this block needs a customer', { field: 'customerId' });
  if (!input.evidence.trim()) return err('invalid_field', 'describe the evidence', { field: 'evidence' });

  const block = await insertBlock(db, {
    customerId: customer?.id ?? null,
    address,
    scope: input.scope,
    channel: input.scope === 'channel' ? (input.channel ?? null) : null,
    themeKey: input.scope === 'theme' ? (input.themeKey ?? null) : null,
    reason: input.reason,
    evidence: input.evidence.trim().slice(0, 2000),
    setAt: now,
    setBy: input.setBy,
  });
  if (
    customer &&
    (input.scope === 'all' ||
      input.scope === 'address' ||
      (input.scope === 'channel' && input.channel === 'email'))
  ) {
    await cancelQueuedMail(
      db,
      { customerId: customer.id, categories: ['marketing'] },
      `contact block ${block.id}`,
    );
  } else if (customer && input.scope === 'theme' && input.themeKey) {
    await cancelQueuedMail(
      db,
      { customerId: customer.id, themeKey: input.themeKey, categories: ['marketing'] },
      `contact block ${block.id}`,
    );
  }
  await insertAudit(db, {
    actorType: actorTypeOf(input.setBy),
    actorId: input.setBy,
    action: 'block.set',
    targetType: 'customer',
    targetId: customer?.id ?? null,
    details: {
      blockId: block.id,
      scope: block.scope,
      channel: block.channel,
      themeKey: block.themeKey,
      reason: block.reason,
    },
  });
  await enqueueWebhookEvent(
    db,
    'block.changed',
    {
      customerId: customer?.id ?? null,
      blockId: block.id,
      change: 'set',
      scope: block.scope,
      channel: block.channel,
      theme: block.themeKey,
      reason: block.reason,
    },
    now,
  );
  return ok({ blockId: block.id });
}

export type LiftBlockInput = { liftedBy: string; reason: string; now?: Date };

/** Lifts a block once (history stays); wakes journeys waiting for a block to be lifted. */
export async function liftContactBlock(
  db: Db,
  blockId: number,
  input: LiftBlockInput,
): Promise<Result<undefined, Failure<'not_found' | 'invalid_field' | 'invalid_state'>>> {
  const now = input.now ?? new Date();
  const block = await blockById(db, blockId);
  if (!block) return err('not_found', 'unknown block');
  if (!input.reason.trim()) return err('invalid_field', 'give a reason for lifting', { field: 'reason' });
  if (
    !(await liftBlock(db, blockId, {
      liftedAt: now,
      liftedBy: input.liftedBy,
      liftReason: input.reason.trim().slice(0, 2000),
    }))
  ) {
    return err('invalid_state', 'the block was already lifted');
  }
  if (block.customerId) await wakeEnrollments(db, block.customerId, [waitKeys.blockLift()], now.getTime());
  await insertAudit(db, {
    actorType: actorTypeOf(input.liftedBy),
    actorId: input.liftedBy,
    action: 'block.lifted',
    targetType: 'customer',
    targetId: block.customerId,
    details: { blockId, reason: input.reason.trim().slice(0, 200) },
  });
  await enqueueWebhookEvent(
    db,
    'block.changed',
    { customerId: block.customerId, blockId, change: 'lifted', scope: block.scope },
    now,
  );
  return ok();
}

function actorTypeOf(actor: string): 'user' | 'customer' | 'system' {
  if (actor.startsWith('user:')) return 'user';
  if (actor === 'customer') return 'customer';
  return 'system';
}

/**
 * A hard bounce (SMTP 5xx) blocks the address itself, so no journey keeps mailing a dead box.
 * The dispatcher calls this when it gives up on a mail as permanently refused.
 */
export async function recordHardBounce(
  db: Db,
  input: { customerId: number | null; address: string; detail: string; now?: Date },
): Promise<SetBlockResult> {
  const address = input.address.trim().toLowerCase();
  const already = await activeAddressBlock(db, address);
  if (already) return ok({ blockId: already.id });
  return await setContactBlock(db, {
    customerId: input.customerId,
    address,
    scope: 'address',
    reason: 'bounce',
    // The SMTP reply only, trimmed: it is evidence, and redacted on erasure.
    evidence: `Hard bounce: ${input.detail}`.slice(0, 500),
    setBy: 'system:bounce',
    now: input.now,
  });
}

/** A spam complaint (feedback loop) stops all contact with the customer. */
export async function recordComplaint(
  db: Db,
  input: { customerId: number; detail: string; now?: Date },
): Promise<SetBlockResult> {
  return await setContactBlock(db, {
    customerId: input.customerId,
    scope: 'all',
    reason: 'complaint',
    evidence: `Complaint: ${input.detail}`.slice(0, 500),
    setBy: 'system:complaint',
    now: input.now,
  });
}

async function activeAddressBlock(db: Db, address: string) {
  return (await blocksForAddress(db, address)).find((b) => !b.liftedAt && b.scope === 'address');
}
