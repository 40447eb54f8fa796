import { localizedText } from '@/lib/mail/i18n/named-text';
import type { Db } from '@/db/client';
import { writeTransaction } from '@/db/client';
import { type ConsentSource } from '@/lib/vocabulary';
import {
  currentNotice,
  purposeByKey,
  purposeById,
  readConsentState,
  themesOfPurposes,
} from '@/db/store/consent';
import { insertOutboxMail } from '@/db/store/privacy-outbox';
import {
  customerById,
  hasLiveOptInLink,
  deleteTombstone,
  optInMailsSince,
  tombstoneExists,
} from '@/db/store/privacy-customers';
import { expiredUnusedTokens, markTokenUsed } from '@/db/store/tokens';
import { wakeEnrollments, waitKeys } from '@/db/store/wakeups';
import { appEnv } from '@/lib/config/env';
import { optInMail, receiptMail } from '@/lib/mail/templates/privacy-mails';
import { receiptUrl } from './receipts';
import { pickLocale } from '@/lib/mail/i18n';
import { reconsentNeeded } from './contact-check';
import { tombstoneHash, truncateIp } from './crypto';
import { checkpointDatabase, forgetCustomer } from './forget';
import { recordConsentEvent } from './ledger';
import { createLink, linkGone, lookupLink, type LinkResult } from './links';
import { err, ok, type Failure, type Result } from '@/lib/result';

const MINUTE = 60_000;
/** Mail-bombing guard per address: at most one opt-in mail per 10 minutes and three per day. */
export const OPTIN_COOLDOWN = { perTenMinutes: 1, perDay: 3 };

export type DoubleOptInRequest = {
  customerId: number;
  purposeKey: string;
  themes?: string[];
  source: ConsentSource;
  expiresHours?: number;
  enrollmentId?: number;
  evidence: Record<string, unknown>;
  now?: Date;
};

/**
 * Sent, or nothing to ask (already granted). Refused when the address was mailed recently
 * (`rate_limited`), there is no address to write to (erased, restricted, unknown: `unprocessable`)
 * or the purpose takes no opt-in (`unknown_purpose`).
 */
export type DoubleOptInResult = Result<
  { kind: 'sent'; tokenId: number } | { kind: 'already-granted' },
  Failure<'rate_limited' | 'unprocessable' | 'unknown_purpose'>
>;

/**
 * Starts a double opt-in inside the caller's transaction: a single-use link token, the
 * confirmation mail in the outbox and a 'request' event (state pending) in the ledger.
 */
export async function requestDoubleOptIn(db: Db, input: DoubleOptInRequest): Promise<DoubleOptInResult> {
  const now = input.now ?? new Date();
  const customer = await customerById(db, input.customerId);
  if (!customer || customer.status !== 'active' || !customer.email)
    return err('unprocessable', 'no contactable customer');
  const purpose = await purposeByKey(db, input.purposeKey);
  if (!purpose || purpose.archivedAt)
    return err('unknown_purpose', `unknown purpose ${input.purposeKey}`, { field: 'purposeKey' });
  const knownThemes = await themesOfPurposes(db, [purpose.id]);
  const themes = (input.themes ?? []).filter((key) => knownThemes.some((t) => t.key === key));

  const isGranted = async (themeKey: string) => {
    const state = await readConsentState(db, customer.id, purpose.id, themeKey);
    // A grant under a notice that has since required fresh consent does not count.
    return (
      state?.state === 'granted' &&
      (themeKey !== '' || !(await reconsentNeeded(db, purpose.id, state.noticeHash)))
    );
  };
  const missingThemes: string[] = [];
  for (const key of themes) if (!(await isGranted(key))) missingThemes.push(key);
  if ((await isGranted('')) && missingThemes.length === 0) return ok({ kind: 'already-granted' });

  if (
    (await optInMailsSince(db, customer.id, new Date(now.getTime() - 10 * MINUTE), now)) >=
      OPTIN_COOLDOWN.perTenMinutes ||
    (await optInMailsSince(db, customer.id, new Date(now.getTime() - 24 * 60 * MINUTE), now)) >=
      OPTIN_COOLDOWN.perDay
  ) {
    return err('rate_limited', 'a confirmation mail went out recently');
  }

  const hours = input.expiresHours ?? appEnv().OPTIN_EXPIRY_HOURS;
  const notice = await currentNotice(db, purpose.id, customer.locale);
  const link = await createLink(db, {
    kind: 'optin',
    customerId: customer.id,
    purposeId: purpose.id,
    hours,
    now,
    payload: { themes, enrollmentId: input.enrollmentId ?? null, source: input.source },
  });
  const mail = optInMail({
    locale: customer.locale,
    purposeName: localizedText(purpose, customer.locale).name,
    themeNames: knownThemes
      .filter((t) => themes.includes(t.key))
      .map((t) => localizedText(t, customer.locale).name),
    noticeText: notice?.text ?? localizedText(purpose, customer.locale).description,
    url: link.url,
    hours,
  });
  await insertOutboxMail(db, {
    idempotencyKey: `optin:${link.tokenId}`,
    category: 'optin',
    customerId: customer.id,
    purposeId: purpose.id,
    enrollmentId: input.enrollmentId ?? null,
    toAddress: customer.email,
    ...mail,
    now,
  });
  const evidence = { ...input.evidence, tokenId: link.tokenId, themes };
  if (!(await isGranted(''))) {
    await recordConsentEvent(db, {
      customerId: customer.id,
      purposeId: purpose.id,
      action: 'request',
      source: input.source,
      noticeHash: notice?.textHash,
      evidence,
      occurredAt: now,
    });
  }
  for (const themeKey of missingThemes) {
    await recordConsentEvent(db, {
      customerId: customer.id,
      purposeId: purpose.id,
      themeKey,
      action: 'request',
      source: input.source,
      noticeHash: notice?.textHash,
      evidence,
      occurredAt: now,
    });
  }
  return ok({ kind: 'sent', tokenId: link.tokenId });
}

export type OptInView = {
  locale: string;
  purposeName: string;
  purposeDescription: string;
  themes: { key: string; name: string; description: string }[];
  noticeText: string;
  noticeVersion: number | null;
  retentionDays: number;
};

/**
 * What the confirmation page shows. Reads only: a link scanner's GET changes nothing. The page
 * speaks the person's stored language, or the browser's (`acceptLanguage`) when we do not speak it.
 */
export async function describeOptIn(
  db: Db,
  raw: string,
  acceptLanguage: string | null = null,
): Promise<LinkResult<OptInView>> {
  const found = await lookupLink(db, raw, ['optin']);
  if (!found.ok) return found;
  const token = found.value;
  const customer = token.customerId ? await customerById(db, token.customerId) : undefined;
  const purpose = token.purposeId ? await purposeById(db, token.purposeId) : undefined;
  if (!customer || customer.status !== 'active' || !purpose) return linkGone();
  const wanted = (token.payload.themes as string[] | undefined) ?? [];
  const pageLocale = pickLocale(customer.locale, acceptLanguage);
  const notice = await currentNotice(db, purpose.id, pageLocale);
  return ok({
    locale: pageLocale,
    purposeName: localizedText(purpose, pageLocale).name,
    purposeDescription: localizedText(purpose, pageLocale).description,
    retentionDays: purpose.retentionDays,
    themes: (await themesOfPurposes(db, [purpose.id]))
      .filter((t) => wanted.includes(t.key))
      .map((t) => ({ key: t.key, ...localizedText(t, pageLocale) })),
    noticeText: notice?.text ?? '',
    noticeVersion: notice?.version ?? null,
  });
}

export type OptInConfirmation = LinkResult<{
  locale: string;
  purposeName: string;
  preferencesUrl: string;
  receiptUrls: string[];
}>;

/**
 * The person's click on "confirm": single use (a conditional update wins at most once), within
 * the expiry, recorded with time, truncated IP, user agent and the notice version shown.
 */
export async function confirmOptInIn(
  db: Db,
  raw: string,
  client: { ip?: string | null; userAgent?: string | null },
  now = new Date(),
): Promise<OptInConfirmation> {
  const found = await lookupLink(db, raw, ['optin'], { now });
  if (!found.ok) return found;
  const token = found.value;
  const customer = token.customerId ? await customerById(db, token.customerId) : undefined;
  const purpose = token.purposeId ? await purposeById(db, token.purposeId) : undefined;
  if (!customer || customer.status !== 'active' || !customer.email || !purpose) return linkGone();
  if (!(await markTokenUsed(db, token.id, now))) return linkGone();

  const notice = await currentNotice(db, purpose.id, customer.locale);
  const evidence = {
    method: 'double-opt-in',
    confirmedAt: now.toISOString(),
    ip: truncateIp(client.ip),
    userAgent: (client.userAgent ?? '').slice(0, 300),
    noticeVersion: notice?.version ?? null,
    noticeLocale: notice?.locale ?? null,
    tokenId: token.id,
  };
  const source = (token.payload.source as ConsentSource | undefined) ?? 'form';
  const granted = await recordConsentEvent(db, {
    customerId: customer.id,
    purposeId: purpose.id,
    action: 'grant',
    source,
    noticeHash: notice?.textHash,
    evidence,
    occurredAt: now,
  });
  const receiptIds = granted.receiptId ? [granted.receiptId] : [];
  const themeKeys = (token.payload.themes as string[] | undefined) ?? [];
  for (const themeKey of themeKeys) {
    const theme = await recordConsentEvent(db, {
      customerId: customer.id,
      purposeId: purpose.id,
      themeKey,
      action: 'grant',
      source,
      noticeHash: notice?.textHash,
      evidence,
      occurredAt: now,
    });
    if (theme.receiptId) receiptIds.push(theme.receiptId);
  }
  const receiptUrls = receiptIds.map(receiptUrl);
  // The confirmation mail: what was confirmed and the signed receipt to keep (transactional).
  if (receiptUrls.length > 0) {
    const knownThemes = themeKeys.length ? await themesOfPurposes(db, [purpose.id]) : [];
    await insertOutboxMail(db, {
      idempotencyKey: `receipt:${granted.eventId}`,
      category: 'receipt',
      customerId: customer.id,
      purposeId: purpose.id,
      toAddress: customer.email,
      ...receiptMail({
        locale: customer.locale,
        purposeName: localizedText(purpose, customer.locale).name,
        themeNames: knownThemes
          .filter((t) => themeKeys.includes(t.key))
          .map((t) => localizedText(t, customer.locale).name),
        receiptUrls,
      }),
      now,
    });
  }
  // The person signed up again themselves: imports may know them again.
  await deleteTombstone(db, tombstoneHash(customer.email));
  const preferences = await createLink(db, { kind: 'preferences', customerId: customer.id, now });
  return ok({
    locale: customer.locale,
    purposeName: localizedText(purpose, customer.locale).name,
    preferencesUrl: preferences.url,
    receiptUrls,
  });
}

export async function confirmOptIn(
  raw: string,
  client: { ip?: string | null; userAgent?: string | null },
): Promise<OptInConfirmation> {
  return await writeTransaction(async (db) => await confirmOptInIn(db, raw, client));
}

/**
 * Pending opt-ins whose link ran out get an 'expire' event (the worker calls this periodically).
 * The token is marked used so it is handled once; waiting journeys are woken to take 'expired'.
 */
export async function expireStaleOptIns(now = new Date()): Promise<number> {
  const result = await writeTransaction(async (db) => {
    const { expired, customerIds } = await expireStaleOptInTokens(db, now);
    return { expired, lapsed: await eraseLapsedSignupsOfErasedAddresses(db, customerIds, now) };
  });
  if (result.lapsed > 0) checkpointDatabase();
  return result.expired + result.lapsed;
}

/**
 * An erased address that signs up again gets a profile holding only what the opt-in needs (the
 * address and language). If the person does not confirm before the link runs out, that profile
 * is erased again: the address stays erased until the person comes back themselves.
 */
async function eraseLapsedSignupsOfErasedAddresses(
  db: Db,
  customerIds: number[],
  now: Date,
): Promise<number> {
  let erased = 0;
  for (const customerId of customerIds) {
    const customer = await customerById(db, customerId);
    if (customer?.status !== 'active' || !customer.email) continue;
    if (!(await tombstoneExists(db, tombstoneHash(customer.email)))) continue;
    // Another link of theirs is still open: the person may yet confirm.
    if (await hasLiveOptInLink(db, customer.id, now)) continue;
    const result = await forgetCustomer(db, customer.id, {
      actor: 'system',
      source: 'journey',
      notifyConnectedSystems: false,
      now,
    });
    if (result.ok) erased++;
  }
  return erased;
}

export async function expireStaleOptInsIn(db: Db, now = new Date()): Promise<number> {
  return (await expireStaleOptInTokens(db, now)).expired;
}

/** Expires the run-out opt-in links once each; returns the events written and whose links they were. */
async function expireStaleOptInTokens(
  db: Db,
  now: Date,
): Promise<{ expired: number; customerIds: number[] }> {
  let expired = 0;
  const customerIds = new Set<number>();
  for (const token of await expiredUnusedTokens(db, 'optin', now)) {
    if (!(await markTokenUsed(db, token.id, now)) || !token.customerId || !token.purposeId) continue;
    customerIds.add(token.customerId);
    const purpose = await purposeById(db, token.purposeId);
    if (!purpose) continue;
    const themeKeys = ['', ...((token.payload.themes as string[] | undefined) ?? [])];
    for (const themeKey of themeKeys) {
      if ((await readConsentState(db, token.customerId, purpose.id, themeKey))?.state !== 'pending') continue;
      await recordConsentEvent(db, {
        customerId: token.customerId,
        purposeId: purpose.id,
        themeKey,
        action: 'expire',
        source: 'system',
        evidence: { reason: 'opt-in link not confirmed in time', tokenId: token.id },
        occurredAt: now,
      });
      expired++;
    }
    await wakeEnrollments(db, token.customerId, [waitKeys.consent(purpose.key)], now.getTime());
  }
  return { expired, customerIds: [...customerIds] };
}
