import type { Db } from '@/db/client';
import { type TokenKind } from '@/lib/vocabulary';
import { insertToken, tokenByHash, type TokenRow } from '@/db/store/tokens';
import { appEnv } from '@/lib/config/env';
import { err, ok, type Failure, type Result } from '@/lib/result';
import { hashLinkToken, newLinkToken } from './crypto';

const HOUR = 3600_000;
export const LINK_LIFETIME_HOURS: Record<TokenKind, number> = {
  optin: 72,
  // Unsubscribe links must keep working long after the mail was sent (RFC 8058 clients cache them).
  unsubscribe: 24 * 365,
  preferences: 24 * 90,
  export: 24 * 7,
  'verify-request': 72,
  // A tracked link in a mail keeps working as long as the preference link next to it.
  click: 24 * 90,
};

const PATHS: Record<TokenKind, string> = {
  optin: '/optin/',
  unsubscribe: '/unsubscribe/',
  preferences: '/preferences/',
  export: '/export/',
  'verify-request': '/verify-request/',
  click: '/c/',
};

export function linkUrl(kind: TokenKind, raw: string): string {
  return `${appEnv().appUrl}${PATHS[kind]}${raw}`;
}

type LinkInput = {
  kind: TokenKind;
  customerId: number | null;
  purposeId?: number | null;
  payload?: Record<string, unknown>;
  hours?: number;
  now?: Date;
};

/** Creates a customer link: the secret goes into the URL, only its hash into the database. */
export async function createLink(
  db: Db,
  input: LinkInput,
): Promise<{ tokenId: number; raw: string; url: string; expiresAt: Date }> {
  const now = input.now ?? new Date();
  const { raw, hash } = newLinkToken();
  const expiresAt = new Date(now.getTime() + (input.hours ?? LINK_LIFETIME_HOURS[input.kind]) * HOUR);
  const tokenId = await insertToken(db, {
    kind: input.kind,
    tokenHash: hash,
    customerId: input.customerId,
    purposeId: input.purposeId ?? null,
    payload: input.payload ?? {},
    expiresAt,
    createdAt: now,
  });
  return { tokenId, raw, url: linkUrl(input.kind, raw), expiresAt };
}

/**
 * Why a customer link does not work: `not_found` (404) never existed or is malformed, `gone` (410)
 * existed but expired, was used, or its person or record is gone. Pages show the same text for both.
 */
export type LinkFailure = Failure<'not_found' | 'gone'>;
export type LinkResult<T> = Result<T, LinkFailure>;

export const linkNotFound = () => err('not_found', 'This link does not exist');
export const linkGone = () => err('gone', 'This link has expired or was used');

/**
 * Finds a live token of one of the given kinds. The lookup is by sha256 of the presented secret,
 * so comparing secrets never happens in JavaScript (no timing tell on the secret itself).
 */
export async function lookupLink(
  db: Db,
  raw: string,
  kinds: TokenKind[],
  options: { now?: Date; allowUsed?: boolean } = {},
): Promise<LinkResult<TokenRow>> {
  const hash = hashLinkToken(raw);
  if (!hash) return linkNotFound();
  const token = await tokenByHash(db, hash);
  if (!token || !kinds.includes(token.kind)) return linkNotFound();
  const now = options.now ?? new Date();
  if (token.expiresAt.getTime() <= now.getTime()) return linkGone();
  if (token.usedAt && !options.allowUsed) return linkGone();
  return ok(token);
}
