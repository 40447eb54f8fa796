import {
  base64url,
  CompactSign,
  compactVerify,
  createLocalJWKSet,
  decodeProtectedHeader,
  type JSONWebKeySet,
  type JWTVerifyGetKey,
} from 'jose';
import type { Db } from '@/db/client';
import type { PurposeRow } from '@/db/store/consent';
import {
  insertReceipt,
  insertReceipts,
  ledgerEventById,
  noticeByHash,
  receiptByReceiptId,
  themeNamed,
} from '@/db/store/receipts';
import { appEnv } from '@/lib/config/env';
import { controllerFor } from '@/lib/config/controller';
import { localizedText } from '@/lib/mail/i18n/named-text';
import type { ConsentAction, ConsentSource, ConsentState, LegalBasis } from '@/lib/vocabulary';
import { constantTimeEqualHex, newLinkToken } from './crypto';
import { RECEIPT_ALG, receiptJwks, signingKey } from './receipt-keys';

/**
 * Consent receipts: what the person keeps of a grant, a withdrawal or an objection. Shaped after
 * ISO/IEC TS 27560 (consent record information structure) with W3C DPV terms, signed as a compact
 * JWS (RFC 7515) with Ed25519 (`EdDSA`, RFC 8037) under a key id published in the JWKS at
 * /.well-known/tarmo-receipt-keys.json. A receipt holds only what the person already knows: who
 * asked, for what, under which notice, when, how, how to withdraw, and the ledger event that proves
 * it (id and chain hash). No address, no name, no IP, no other person's data.
 */
export const RECEIPT_ACTIONS = ['grant', 'withdraw', 'object'] as const satisfies readonly ConsentAction[];
export const RECEIPT_TYPE = 'consent-receipt+jwt';
export const RECEIPT_SCHEMA = 'https://w3id.org/dpv/guides/consent-27560';
export const JWKS_PATH = '/.well-known/tarmo-receipt-keys.json';

export function issuesReceipt(action: ConsentAction): boolean {
  return (RECEIPT_ACTIONS as readonly string[]).includes(action);
}

const GDPR = 'https://w3id.org/dpv/legal/eu/gdpr#';
const DPV = 'https://w3id.org/dpv#';

const LEGAL_BASIS: Record<LegalBasis, { article: string; dpv: string }> = {
  consent: { article: 'GDPR Art. 6(1)(a)', dpv: `${GDPR}A6-1-a` },
  contract: { article: 'GDPR Art. 6(1)(b)', dpv: `${GDPR}A6-1-b` },
  'legal-obligation': { article: 'GDPR Art. 6(1)(c)', dpv: `${GDPR}A6-1-c` },
  'vital-interests': { article: 'GDPR Art. 6(1)(d)', dpv: `${GDPR}A6-1-d` },
  'public-task': { article: 'GDPR Art. 6(1)(e)', dpv: `${GDPR}A6-1-e` },
  'legitimate-interests': { article: 'GDPR Art. 6(1)(f)', dpv: `${GDPR}A6-1-f` },
};

const STATUS: Record<(typeof RECEIPT_ACTIONS)[number], string> = {
  grant: `${DPV}ConsentGiven`,
  withdraw: `${DPV}ConsentWithdrawn`,
  object: `${GDPR}A21`,
};

export const RECEIPT_RIGHTS = [
  { right: 'withdraw', article: 'GDPR Art. 7(3)' },
  { right: 'access', article: 'GDPR Art. 15' },
  { right: 'rectification', article: 'GDPR Art. 16' },
  { right: 'erasure', article: 'GDPR Art. 17' },
  { right: 'restriction', article: 'GDPR Art. 18' },
  { right: 'portability', article: 'GDPR Art. 20' },
  { right: 'object', article: 'GDPR Art. 21' },
  { right: 'complaint', article: 'GDPR Art. 77' },
] as const;
export type ReceiptRight = (typeof RECEIPT_RIGHTS)[number]['right'];

/** Where each right is exercised: the links in every mail, the preference centre, the controller. */
const RIGHT_WHERE: Record<ReceiptRight, string[]> = {
  withdraw: ['unsubscribe-link', 'preference-centre', 'contact'],
  access: ['preference-centre', 'contact'],
  rectification: ['contact'],
  erasure: ['preference-centre', 'contact'],
  restriction: ['contact'],
  portability: ['preference-centre', 'contact'],
  object: ['unsubscribe-link', 'preference-centre', 'contact'],
  complaint: ['supervisory-authority'],
};

export type ReceiptMethod = {
  /** form, link-click, api, signal, complaint, import, staff, journey, merge, system */
  kind: string;
  detail: string;
  /** For the API: the caller's own label of where the consent was collected. */
  source?: string;
};

export type ReceiptPayload = {
  iss: string;
  jti: string;
  iat: number;
  schema: string;
  language: string;
  controller: { name: string; address: string; contact: string; privacyNotice: string };
  event: {
    action: (typeof RECEIPT_ACTIONS)[number];
    state: ConsentState;
    status: string;
    time: string;
  };
  purpose: {
    key: string;
    name: string;
    description: string;
    legalBasis: { key: LegalBasis; article: string; dpv: string };
    retentionDays: number;
  };
  themes: { key: string; name: string }[];
  notice: { version: number; language: string; sha256: string; url: string } | null;
  channel: 'email';
  method: ReceiptMethod;
  withdrawal: { how: string[]; contact: string };
  rights: { right: ReceiptRight; article: string; where: string[] }[];
  ledger: { eventId: number; hash: string; jwks: string };
};

/** How the consent was given or withdrawn, from the event's source and the evidence's method. */
export function receiptMethod(source: ConsentSource, evidence: Record<string, unknown>): ReceiptMethod {
  const method = typeof evidence.method === 'string' ? evidence.method : '';
  if (method === 'gpc' || source === 'gpc')
    return { kind: 'signal', detail: 'Global Privacy Control (Sec-GPC: 1)' };
  if (method === 'double-opt-in') return { kind: 'link-click', detail: 'confirmed double opt-in link' };
  if (method === 'list-unsubscribe-one-click')
    return { kind: 'link-click', detail: 'one-click unsubscribe (RFC 8058)' };
  if (method === 'unsubscribe-page') return { kind: 'form', detail: 'unsubscribe page' };
  if (method === 'preference-center') return { kind: 'form', detail: 'preference centre' };
  // A spam complaint the mail provider reported (lib/delivery/deliverability): the person's own act,
  // so the receipt says what they did rather than "recorded automatically".
  if (source === 'system' && evidence.kind === 'complaint') {
    const provider = typeof evidence.provider === 'string' ? evidence.provider : 'the mail provider';
    return { kind: 'complaint', detail: `spam complaint reported by ${provider}` };
  }
  if (source === 'api') {
    const label = [evidence.source, evidence.form, evidence.channel].find(
      (v): v is string => typeof v === 'string' && v.trim().length > 0,
    );
    return { kind: 'api', detail: 'API', ...(label ? { source: label.trim().slice(0, 120) } : {}) };
  }
  if (source === 'form') return { kind: 'form', detail: 'web form' };
  const detail: Record<Exclude<ConsentSource, 'api' | 'form' | 'gpc'>, string> = {
    import: 'imported from an earlier record',
    staff: 'recorded by staff at your request',
    journey: 'recorded by a customer journey',
    merge: 'carried over when two profiles were merged',
    system: 'recorded by the system',
  };
  return { kind: source, detail: detail[source] };
}

export type ReceiptEvent = {
  eventId: number;
  hash: string;
  customerId: number;
  customerLocale: string;
  purpose: PurposeRow;
  themeKey: string;
  action: ConsentAction;
  stateAfter: ConsentState;
  source: ConsentSource;
  noticeHash: string | null;
  evidence: Record<string, unknown>;
  occurredAt: Date;
};

/**
 * Signs and stores the receipt of a ledger event, in the event's own transaction. Returns the
 * receipt id (the 256-bit capability in its URL), or null for an action that gets no receipt.
 */
export async function issueReceipt(db: Db, event: ReceiptEvent): Promise<string | null> {
  return (await issueReceipts(db, [event]))[0] ?? null;
}

/**
 * issueReceipt for many ledger events (a batch appended in one transaction): each notice and
 * theme is read once, the signing key loaded once, and the receipts stored together. Answers the
 * receipt ids in the order of the events (null for an action that gets no receipt).
 */
export async function issueReceipts(db: Db, events: readonly ReceiptEvent[]): Promise<(string | null)[]> {
  const receipted = events.filter((event) => issuesReceipt(event.action));
  if (receipted.length === 0) return events.map(() => null);
  const lookups = receiptLookups(db);
  const key = await signingKey();
  const appUrl = appEnv().appUrl;
  const rows: Parameters<typeof insertReceipt>[1][] = [];
  for (const event of receipted) {
    const { raw: receiptId } = newLinkToken();
    const payload = receiptPayload(event, receiptId, appUrl, {
      notice: event.noticeHash ? await lookups.notice(event.purpose.id, event.noticeHash) : undefined,
      theme: event.themeKey ? await lookups.theme(event.purpose.id, event.themeKey) : undefined,
    });
    rows.push({
      receiptId,
      customerId: event.customerId,
      eventId: event.eventId,
      kid: key.kid,
      token: await signReceiptPayload(payload, key),
      createdAt: event.occurredAt,
    });
  }
  if (rows.length === 1) await insertReceipt(db, rows[0]!);
  else await insertReceipts(db, rows);
  const receiptOf = new Map(rows.map((row) => [row.eventId, row.receiptId]));
  return events.map((event) => receiptOf.get(event.eventId) ?? null);
}

type NoticeRow = NonNullable<Awaited<ReturnType<typeof noticeByHash>>>;
type ThemeRow = NonNullable<Awaited<ReturnType<typeof themeNamed>>>;

/** The notice and theme reads of a batch's receipts, each asked of the database once. */
function receiptLookups(db: Db) {
  const notices = new Map<string, Promise<NoticeRow | undefined>>();
  const themes = new Map<string, Promise<ThemeRow | undefined>>();
  const once = <T>(cache: Map<string, Promise<T>>, key: string, read: () => Promise<T>) => {
    let found = cache.get(key);
    if (!found) cache.set(key, (found = read()));
    return found;
  };
  return {
    notice: (purposeId: number, hash: string) =>
      once(notices, `${purposeId}|${hash}`, () => noticeByHash(db, purposeId, hash)),
    theme: (purposeId: number, themeKey: string) =>
      once(themes, `${purposeId}|${themeKey}`, () => themeNamed(db, purposeId, themeKey)),
  };
}

/** The receipt of one event as signed: what the person already knows, and nothing more. */
function receiptPayload(
  event: ReceiptEvent,
  receiptId: string,
  appUrl: string,
  found: { notice: NoticeRow | undefined; theme: ThemeRow | undefined },
): ReceiptPayload {
  const controller = controllerFor(event.customerLocale);
  const purposeText = localizedText(event.purpose, event.customerLocale);
  const absolute = (url: string) => (url.startsWith('/') ? `${appUrl}${url}` : url);
  const { notice, theme } = found;
  const action = event.action as (typeof RECEIPT_ACTIONS)[number];
  return {
    iss: appUrl,
    jti: receiptId,
    iat: Math.floor(event.occurredAt.getTime() / 1000),
    schema: RECEIPT_SCHEMA,
    language: event.customerLocale,
    controller: {
      name: controller.name,
      address: controller.address,
      contact: controller.contact,
      privacyNotice: absolute(controller.privacyNoticeUrl),
    },
    event: {
      action,
      state: event.stateAfter,
      status: STATUS[action],
      time: event.occurredAt.toISOString(),
    },
    purpose: {
      key: event.purpose.key,
      name: purposeText.name,
      description: purposeText.description,
      legalBasis: { key: event.purpose.legalBasis, ...LEGAL_BASIS[event.purpose.legalBasis] },
      retentionDays: event.purpose.retentionDays,
    },
    themes: event.themeKey
      ? [
          {
            key: event.themeKey,
            name: theme ? localizedText(theme, event.customerLocale).name : event.themeKey,
          },
        ]
      : [],
    notice: notice
      ? {
          version: notice.version,
          language: notice.locale,
          sha256: notice.textHash,
          url: `${appUrl}${noticePath(event.purpose.key, notice.version, notice.locale)}`,
        }
      : null,
    channel: 'email',
    method: receiptMethod(event.source, event.evidence),
    withdrawal: {
      how: ['unsubscribe-link', 'preference-centre', 'contact'],
      contact: controller.contact,
    },
    rights: RECEIPT_RIGHTS.map((r) => ({ ...r, where: RIGHT_WHERE[r.right] })),
    ledger: { eventId: event.eventId, hash: event.hash, jwks: `${appUrl}${JWKS_PATH}` },
  };
}

async function signReceiptPayload(
  payload: ReceiptPayload,
  key: Awaited<ReturnType<typeof signingKey>>,
): Promise<string> {
  return await new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
    .setProtectedHeader({ alg: RECEIPT_ALG, kid: key.kid, typ: RECEIPT_TYPE })
    .sign(key.key);
}

export function noticePath(purposeKey: string, version: number, locale: string): string {
  return `/notices/${encodeURIComponent(purposeKey)}/${version}?lang=${encodeURIComponent(locale)}`;
}

export function receiptPath(receiptId: string): string {
  return `/receipts/${receiptId}`;
}

export function receiptUrl(receiptId: string): string {
  return `${appEnv().appUrl}${receiptPath(receiptId)}`;
}

/** Receipt ids are exactly 43 base64url characters; anything else is refused before the db. */
export function validReceiptId(raw: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(raw);
}

/** The payload of a token as signed (read without verifying: the token came from our own table). */
export function receiptPayloadOf(token: string): ReceiptPayload {
  const part = token.split('.')[1] ?? '';
  return JSON.parse(new TextDecoder().decode(base64url.decode(part))) as ReceiptPayload;
}

export type StoredReceipt = { receiptId: string; token: string; kid: string; payload: ReceiptPayload };

export async function findReceipt(db: Db, receiptId: string): Promise<StoredReceipt | null> {
  if (!validReceiptId(receiptId)) return null;
  const row = await receiptByReceiptId(db, receiptId);
  if (!row) return null;
  return { receiptId: row.receiptId, token: row.token, kid: row.kid, payload: receiptPayloadOf(row.token) };
}

export type ReceiptVerification =
  { ok: true; kid: string; payload: ReceiptPayload } | { ok: false; reason: string };

/**
 * Checks a receipt's signature against a key set (the published JWKS, a local copy, or a remote
 * set from createRemoteJWKSet): the algorithm must be EdDSA and the key the one its `kid` names.
 */
export async function verifyReceiptSignature(
  token: string,
  keys: JSONWebKeySet | JWTVerifyGetKey,
): Promise<ReceiptVerification> {
  const getKey = typeof keys === 'function' ? keys : createLocalJWKSet(keys);
  // base64url decoders ignore the unused low bits of a segment's last character; a receipt is
  // checked byte for byte, so only the canonical encoding of each segment is accepted.
  const segments = token.trim().split('.');
  if (segments.length !== 3 || segments.some((seg) => !canonicalBase64url(seg)))
    return { ok: false, reason: 'not a compact JWS in canonical base64url' };
  try {
    const { payload, protectedHeader } = await compactVerify(token.trim(), getKey, {
      algorithms: [RECEIPT_ALG],
    });
    const parsed = JSON.parse(new TextDecoder().decode(payload)) as ReceiptPayload;
    return { ok: true, kid: protectedHeader.kid ?? '', payload: parsed };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
}

function canonicalBase64url(segment: string): boolean {
  if (!/^[A-Za-z0-9_-]+$/.test(segment)) return false;
  try {
    return base64url.encode(base64url.decode(segment)) === segment;
  } catch {
    return false;
  }
}

/** Verifies against this installation's own keys (data dir). */
export async function verifyReceiptLocally(token: string): Promise<ReceiptVerification> {
  return await verifyReceiptSignature(token, await receiptJwks());
}

/** With database access: the receipt's event is in the ledger and its chain hash matches. */
export async function checkReceiptInLedger(
  db: Db,
  payload: ReceiptPayload,
): Promise<{ ok: true } | { ok: false; reason: string }> {
  const event = await ledgerEventById(db, payload.ledger.eventId);
  if (!event) return { ok: false, reason: `ledger event ${payload.ledger.eventId} is not in the ledger` };
  if (!/^[0-9a-f]{64}$/.test(payload.ledger.hash) || !constantTimeEqualHex(event.hash, payload.ledger.hash))
    return { ok: false, reason: `ledger event ${event.id} has another hash` };
  if (event.action !== payload.event.action || event.occurredAt.toISOString() !== payload.event.time)
    return { ok: false, reason: `ledger event ${event.id} records another action or time` };
  return { ok: true };
}

/** The key id a token names, without verifying (for messages). */
export function receiptKid(token: string): string | null {
  try {
    return decodeProtectedHeader(token.trim()).kid ?? null;
  } catch {
    return null;
  }
}
