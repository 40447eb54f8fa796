import type { Db } from '@/db/client';
import { blocksOf } from '@/db/store/blocks';
import { listPurposes, readConsentState } from '@/db/store/consent';
import { customerById } from '@/db/store/privacy-customers';
import { pickLocale, translator } from '@/lib/mail/i18n';
import { localizedText } from '@/lib/mail/i18n/named-text';
import type { TokenKind } from '@/lib/vocabulary';
import { setContactBlock } from './blocks';
import { truncateIp } from './crypto';
import { recordConsentEvent } from './ledger';
import { lookupLink } from './links';
import type { ClientInfo } from './unsubscribe';

/**
 * Global Privacy Control (https://privacycg.github.io/gpc-spec/): a browser that sends
 * `Sec-GPC: 1` tells every site it visits not to sell or share the person's data. The only valid
 * value is "1"; anything else is no signal.
 */
export function gpcSignalled(headers: Pick<Headers, 'get'>): boolean {
  return headers.get('sec-gpc')?.trim() === '1';
}

/** Where the signal arrived: named in the ledger evidence and the block. */
export type GpcPlace = 'sign-up' | 'preferences' | 'opt-in' | 'unsubscribe' | 'export' | 'privacy-request';

export type GpcOutcome = {
  /** Every purpose the signal objects to (marked honoursGpc), whether recorded now or before. */
  purposes: { id: number; key: string; name: string }[];
  /** Ledger events written by this request (none on a repeat: the objection already stands). */
  recorded: number;
  /** The person's active sale-or-sharing block, set now or by an earlier signal. */
  blockId: number | null;
};

const STOPPED = new Set(['objected', 'withdrawn']);

/** The purposes the signal objects to: marked honoursGpc (sale or sharing / targeted advertising), not archived. */
export async function purposesHonouringGpc(db: Db) {
  return (await listPurposes(db)).filter((p) => p.honoursGpc && !p.archivedAt);
}

/**
 * Honours a Global Privacy Control signal for one person, in the caller's write transaction and
 * before anything else the request does: every purpose the workspace marks as sale or sharing /
 * targeted advertising gets an objection in the ledger (source 'gpc', the header as evidence)
 * unless the person already objected to it or withdrew, and a 'sale-sharing' block with reason
 * 'gpc' is set once. Idempotent, and it never grants anything. Purpose names are in `locale`.
 */
export async function honourGpcSignal(
  db: Db,
  input: { customerId: number; place: GpcPlace; client: ClientInfo; locale?: string; now?: Date },
): Promise<GpcOutcome> {
  const now = input.now ?? new Date();
  const customer = await customerById(db, input.customerId);
  if (!customer || customer.status === 'erased') return { purposes: [], recorded: 0, blockId: null };
  const locale = input.locale ?? customer.locale;
  const purposes = await purposesHonouringGpc(db);
  const evidence = {
    method: 'gpc',
    signal: 'Sec-GPC: 1',
    page: input.place,
    at: now.toISOString(),
    ip: truncateIp(input.client.ip),
    userAgent: (input.client.userAgent ?? '').slice(0, 300),
  };
  let recorded = 0;
  // One query at a time: db is a transaction, i.e. one connection.
  for (const purpose of purposes) {
    const state = (await readConsentState(db, customer.id, purpose.id, ''))?.state ?? 'not-asked';
    if (STOPPED.has(state)) continue;
    await recordConsentEvent(db, {
      customerId: customer.id,
      purposeId: purpose.id,
      action: 'object',
      source: 'gpc',
      evidence,
      occurredAt: now,
    });
    recorded += 1;
  }
  const existing = (await blocksOf(db, customer.id)).find(
    (b) => !b.liftedAt && b.scope === 'sale-sharing' && b.reason === 'gpc',
  );
  let blockId = existing?.id ?? null;
  if (!existing) {
    const block = await setContactBlock(db, {
      customerId: customer.id,
      scope: 'sale-sharing',
      reason: 'gpc',
      evidence: `Global Privacy Control signal (Sec-GPC: 1) on the ${input.place} page`,
      setBy: 'customer',
      now,
    });
    if (block.ok) blockId = block.value.blockId;
  }
  return {
    purposes: purposes.map((p) => ({ id: p.id, key: p.key, name: localizedText(p, locale).name })),
    recorded,
    blockId,
  };
}

/** The link kinds each customer page accepts, as the page itself looks them up. */
const PAGE_LINKS: Record<Exclude<GpcPlace, 'sign-up'>, { kinds: TokenKind[]; allowUsed: boolean }> = {
  preferences: { kinds: ['preferences', 'unsubscribe'], allowUsed: true },
  unsubscribe: { kinds: ['unsubscribe'], allowUsed: true },
  'opt-in': { kinds: ['optin'], allowUsed: false },
  export: { kinds: ['export'], allowUsed: true },
  'privacy-request': { kinds: ['verify-request'], allowUsed: true },
};

export type GpcPageOutcome = GpcOutcome & {
  /** The language the page speaks (the person's, else the browser's). */
  locale: string;
  /** The purpose the link is about (an opt-in or unsubscribe link), if any. */
  linkPurposeId: number | null;
};

/**
 * A customer page's signal: finds the person behind the link as the page will, and honours the
 * signal for them (in the caller's write transaction). Null for a link the page will refuse: that
 * page must look the same whatever the reason, and there is nobody to record for.
 */
export async function honourGpcForLink(
  db: Db,
  input: {
    raw: string;
    place: Exclude<GpcPlace, 'sign-up'>;
    client: ClientInfo;
    acceptLanguage: string | null;
  },
): Promise<GpcPageOutcome | null> {
  const { kinds, allowUsed } = PAGE_LINKS[input.place];
  const found = await lookupLink(db, input.raw, kinds, { allowUsed });
  if (!found.ok || !found.value.customerId) return null;
  const customer = await customerById(db, found.value.customerId);
  if (!customer || customer.status === 'erased') return null;
  const locale = pickLocale(customer.locale, input.acceptLanguage);
  const outcome = await honourGpcSignal(db, {
    customerId: customer.id,
    place: input.place,
    client: input.client,
    locale,
  });
  return { ...outcome, locale, linkPurposeId: found.value.purposeId };
}

/** What the page tells the person: plainly that the signal was honoured, and for which purposes. */
export function gpcMessage(locale: string, purposeNames: readonly string[]): string {
  const t = translator(locale);
  if (purposeNames.length === 0) return t('gpc.honoured.none');
  const quoted = purposeNames.map((name) => t('common.quoted', { text: name }));
  const purposes = new Intl.ListFormat(locale === 'de' ? 'de' : 'en', { type: 'conjunction' }).format(quoted);
  return t('gpc.honoured', { purposes });
}
