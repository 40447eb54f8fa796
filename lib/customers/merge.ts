import type { Db } from '@/db/client';
import { type ConsentState } from '@/lib/vocabulary';
import { insertAudit } from '@/db/store/audit';
import {
  activeCustomerBlocks,
  consentStatesOf,
  findCustomer,
  reassignEvents,
  updateCustomer,
} from '@/db/store/customers';
import { actionForState, stricterConsentState } from './merge-rules';
import { recordConsentEvent } from '@/lib/privacy/ledger';
import { setContactBlock } from '@/lib/privacy/blocks';

export type Actor = { type: 'user' | 'api_key' | 'system'; id?: number | string | null };

export type MergeSummary = {
  survivorId: number;
  mergedId: number;
  consentChanges: number;
  blocksCarried: number;
  eventsMoved: number;
};

/**
 * Merges `mergedId` into `survivorId` inside the caller's transaction. Both ledgers stay as
 * they are (the ledger is append-only); the survivor gets, per purpose and theme, the stricter
 * of the two states as a new ledger event with source 'merge'. Active blocks of the merged
 * profile are carried over (a block wins), events move, and the merged profile keeps only a
 * pointer to the survivor.
 */
export async function mergeCustomers(
  db: Db,
  survivorId: number,
  mergedId: number,
  actor: Actor,
  now = new Date(),
): Promise<MergeSummary> {
  const survivor = await findCustomer(db, survivorId);
  const merged = await findCustomer(db, mergedId);
  if (!survivor || !merged || survivorId === mergedId)
    throw new Error('merge needs two distinct existing customers');

  const survivorStates = new Map(
    (await consentStatesOf(db, survivorId)).map((row) => [`${row.purposeId}|${row.themeKey}`, row]),
  );
  let consentChanges = 0;
  for (const other of await consentStatesOf(db, mergedId)) {
    const mine = survivorStates.get(`${other.purposeId}|${other.themeKey}`);
    const current: ConsentState = mine?.state ?? 'not-asked';
    const target = stricterConsentState(current, other.state);
    const action = actionForState(target);
    if (target === current || !action) continue;
    await recordConsentEvent(db, {
      customerId: survivorId,
      purposeId: other.purposeId,
      themeKey: other.themeKey,
      action,
      source: 'merge',
      noticeHash: other.noticeHash,
      evidence: { mergedFromCustomerId: mergedId, sourceEventId: other.lastEventId, previousState: current },
      occurredAt: now,
    });
    consentChanges++;
  }

  const survivorBlocks = await activeCustomerBlocks(db, survivorId);
  let blocksCarried = 0;
  for (const block of await activeCustomerBlocks(db, mergedId)) {
    const duplicate = survivorBlocks.some(
      (b) =>
        b.scope === block.scope &&
        b.channel === block.channel &&
        b.themeKey === block.themeKey &&
        b.address === block.address,
    );
    if (duplicate) continue;
    const carried = await setContactBlock(db, {
      customerId: survivorId,
      address: block.address,
      scope: block.scope,
      channel: block.channel,
      themeKey: block.themeKey,
      reason: block.reason,
      evidence: `${block.evidence} (carried over from customer ${mergedId}, block ${block.id}, by a merge)`,
      setBy: 'system:merge',
      now,
    });
    if (carried.ok) blocksCarried++;
  }

  const eventsMoved = await reassignEvents(db, mergedId, survivorId);
  await updateCustomer(db, mergedId, { email: null, externalId: null, mergedIntoId: survivorId });
  await updateCustomer(db, survivorId, {
    attributes: { ...merged.attributes, ...survivor.attributes },
    name: survivor.name || merged.name,
    email: survivor.email ?? merged.email,
    externalId: survivor.externalId ?? merged.externalId,
  });

  const summary = { survivorId, mergedId, consentChanges, blocksCarried, eventsMoved };
  await insertAudit(db, {
    actorType: actor.type,
    actorId: actor.id ?? null,
    action: 'customer.merged',
    targetType: 'customer',
    targetId: survivorId,
    details: summary,
  });
  return summary;
}
