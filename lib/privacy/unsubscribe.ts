import type { Db } from '@/db/client';
import { type ConsentSource } from '@/lib/vocabulary';
import { consentStatesOf, listPurposes, purposeById, readConsentState } from '@/db/store/consent';
import { customerById } from '@/db/store/privacy-customers';
import { localizedText } from '@/lib/mail/i18n/named-text';
import { truncateIp } from './crypto';
import { recordConsentEvent } from './ledger';
import { linkGone, lookupLink, type LinkResult } from './links';
import { ok } from '@/lib/result';

export type ClientInfo = { ip?: string | null; userAgent?: string | null };

export type UnsubscribeView = {
  locale: string;
  purposeName: string;
  customerId: number;
  purposeId: number;
  tokenId: number;
};

/** Reads only: a scanner's GET of the link unsubscribes nobody. */
export async function describeUnsubscribe(
  db: Db,
  raw: string,
  now = new Date(),
): Promise<LinkResult<UnsubscribeView>> {
  // Unsubscribe links stay usable: unsubscribing twice has the effect of once.
  const found = await lookupLink(db, raw, ['unsubscribe'], { now, allowUsed: true });
  if (!found.ok) return found;
  const token = found.value;
  const customer = token.customerId ? await customerById(db, token.customerId) : undefined;
  const purpose = token.purposeId ? await purposeById(db, token.purposeId) : undefined;
  if (!customer || customer.status === 'erased' || !purpose) return linkGone();
  return ok({
    locale: customer.locale,
    purposeName: localizedText(purpose, customer.locale).name,
    customerId: customer.id,
    purposeId: purpose.id,
    tokenId: token.id,
  });
}

/**
 * Stops one purpose at once: consent is withdrawn (queued mail for it is cancelled by the ledger);
 * for a purpose not based on consent the person objects (Art. 21). Repeating it records nothing new.
 */
export async function stopPurpose(
  db: Db,
  input: {
    customerId: number;
    purposeId: number;
    source: ConsentSource;
    evidence: Record<string, unknown>;
    now: Date;
  },
): Promise<boolean> {
  const purpose = await purposeById(db, input.purposeId);
  if (!purpose) return false;
  const state = (await readConsentState(db, input.customerId, purpose.id, ''))?.state ?? 'not-asked';
  const action = purpose.legalBasis === 'consent' ? 'withdraw' : 'object';
  if (
    (action === 'withdraw' && (state === 'withdrawn' || state === 'not-asked' || state === 'expired')) ||
    state === 'objected'
  )
    return false;
  await recordConsentEvent(db, {
    customerId: input.customerId,
    purposeId: purpose.id,
    action,
    source: input.source,
    evidence: input.evidence,
    occurredAt: input.now,
  });
  return true;
}

export async function unsubscribeIn(
  db: Db,
  raw: string,
  input: { scope: 'purpose' | 'all'; method: 'one-click' | 'page'; client: ClientInfo; now?: Date },
): Promise<LinkResult<UnsubscribeView>> {
  const now = input.now ?? new Date();
  const described = await describeUnsubscribe(db, raw, now);
  if (!described.ok) return described;
  const view = described.value;
  const evidence = {
    method: input.method === 'one-click' ? 'list-unsubscribe-one-click' : 'unsubscribe-page',
    scope: input.scope,
    at: now.toISOString(),
    ip: truncateIp(input.client.ip),
    userAgent: (input.client.userAgent ?? '').slice(0, 300),
    tokenId: view.tokenId,
  };
  if (input.scope === 'purpose') {
    await stopPurpose(db, {
      customerId: view.customerId,
      purposeId: view.purposeId,
      source: 'form',
      evidence,
      now,
    });
  } else {
    const consentPurposes = new Set(
      (await listPurposes(db)).filter((p) => p.legalBasis === 'consent').map((p) => p.id),
    );
    for (const state of await consentStatesOf(db, view.customerId)) {
      if (!consentPurposes.has(state.purposeId) || (state.state !== 'granted' && state.state !== 'pending'))
        continue;
      await recordConsentEvent(db, {
        customerId: view.customerId,
        purposeId: state.purposeId,
        themeKey: state.themeKey,
        action: 'withdraw',
        source: 'form',
        evidence,
        occurredAt: now,
      });
    }
  }
  return described;
}
