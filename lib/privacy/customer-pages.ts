import { localizedText } from '@/lib/mail/i18n/named-text';
import { getDb, writeTransaction } from '@/db/client';
import { listPurposes, currentNotice } from '@/db/store/consent';
import { localeFromAcceptLanguage, pickLocale, translator } from '@/lib/mail/i18n';
import { escapeHtml } from '@/lib/mail/templates/html';
import { confirmOptInIn, describeOptIn } from './optin';
import { describeUnsubscribe, unsubscribeIn, type ClientInfo } from './unsubscribe';
import {
  describePreferences,
  requestErasureFromPreferences,
  requestExportFromPreferences,
  savePreferences,
} from './preferences';
import { findExport } from './exports';
import { gpcMessage, honourGpcForLink, type GpcPageOutcome, type GpcPlace } from './gpc';
import type { LinkFailure } from './links';
import { describeVerification, verifyPrivacyRequest } from './requests';
import {
  eraseConfirmPage,
  exportPage,
  invalidLinkPage,
  messagePage,
  optInPage,
  preferencesPage,
  privacyNoticePage,
  unsubscribePage,
  verifyPage,
  withGpcNotice,
  type PageResult,
} from './pages';

/**
 * The customer-facing pages as plain functions of (token, form, browser language): GET variants
 * only read; POST variants change state with the link's own token as the credential (no cookie,
 * no CSRF token: RFC 8058 one-click must work from a mail provider's server).
 *
 * Language: the person's stored language when we speak it, else the browser's Accept-Language,
 * else English. A link that does not work answers in the browser's language only, so that page
 * is the same whatever the reason (an unknown link has no person, a used one must not tell).
 */
type Lang = string | null;

const invalid = (failure: LinkFailure, acceptLanguage: Lang) =>
  invalidLinkPage(failure, localeFromAcceptLanguage(acceptLanguage));

/** The client that sent `Sec-GPC: 1` with the request (lib/privacy/http gpcClient), or null. */
export type GpcSignal = ClientInfo | null;

/**
 * Global Privacy Control comes first: the signal is honoured for the link's person in its own
 * write transaction before the page reads or does anything (so it stands even if the rest of the
 * request fails), and the page then says so. This is the one GET that writes: the signal can only
 * object, never grant, and repeating it records nothing new.
 */
async function withGpc(
  raw: string,
  place: Exclude<GpcPlace, 'sign-up'>,
  gpc: GpcSignal,
  acceptLanguage: Lang,
  render: (outcome: GpcPageOutcome | null) => Promise<PageResult>,
): Promise<PageResult> {
  const outcome = gpc
    ? await writeTransaction(
        async (db) => await honourGpcForLink(db, { raw, place, client: gpc, acceptLanguage }),
      )
    : null;
  const page = await render(outcome);
  if (!outcome || page.status !== 200) return page;
  return withGpcNotice(
    page,
    gpcMessage(
      outcome.locale,
      outcome.purposes.map((p) => p.name),
    ),
  );
}

export async function optInGet(
  raw: string,
  acceptLanguage: Lang = null,
  gpc: GpcSignal = null,
): Promise<PageResult> {
  return await withGpc(raw, 'opt-in', gpc, acceptLanguage, async () => {
    const view = await describeOptIn(getDb(), raw, acceptLanguage);
    return view.ok ? optInPage(view.value) : invalid(view.error, acceptLanguage);
  });
}

export async function optInPost(
  raw: string,
  client: ClientInfo,
  acceptLanguage: Lang = null,
  gpc: GpcSignal = null,
): Promise<PageResult> {
  return await withGpc(raw, 'opt-in', gpc, acceptLanguage, async (outcome) => {
    // GPC never grants: a confirmation sent with the signal is not recorded for a purpose it objects to.
    const objected = outcome?.purposes.find((p) => p.id === outcome.linkPurposeId);
    if (outcome && objected) {
      const t = translator(outcome.locale);
      return messagePage(outcome.locale, t('gpc.title'), [
        t('gpc.optin.notConfirmed', { purpose: t('common.quoted', { text: objected.name }) }),
      ]);
    }
    return await confirmOptInPage(raw, client, acceptLanguage);
  });
}

async function confirmOptInPage(raw: string, client: ClientInfo, acceptLanguage: Lang): Promise<PageResult> {
  const result = await writeTransaction(async (db) => await confirmOptInIn(db, raw, client));
  if (!result.ok) return invalid(result.error, acceptLanguage);
  const confirmed = result.value;
  const locale = pickLocale(confirmed.locale, acceptLanguage);
  const t = translator(locale);
  return messagePage(
    locale,
    t('optin.done.title'),
    [t('optin.done.body', { purpose: confirmed.purposeName })],
    `${confirmed.receiptUrls
      .map(
        (url) =>
          `<p><a rel="receipt" href="${escapeHtml(url)}" data-testid="receipt-link">${escapeHtml(t('receipt.link'))}</a></p>`,
      )
      .join(
        '',
      )}<p><a href="${escapeHtml(confirmed.preferencesUrl)}">${escapeHtml(t('optin.done.preferences'))}</a></p>`,
  );
}

export async function unsubscribeGet(
  raw: string,
  acceptLanguage: Lang = null,
  gpc: GpcSignal = null,
): Promise<PageResult> {
  return await withGpc(raw, 'unsubscribe', gpc, acceptLanguage, async () => {
    const view = await describeUnsubscribe(getDb(), raw);
    return view.ok
      ? unsubscribePage(
          { ...view.value, locale: pickLocale(view.value.locale, acceptLanguage) },
          `/preferences/${raw}`,
        )
      : invalid(view.error, acceptLanguage);
  });
}

export async function unsubscribePost(
  raw: string,
  form: URLSearchParams,
  client: ClientInfo,
  acceptLanguage: Lang = null,
  gpc: GpcSignal = null,
): Promise<PageResult> {
  return await withGpc(raw, 'unsubscribe', gpc, acceptLanguage, async () =>
    unsubscribeNow(raw, form, client, acceptLanguage),
  );
}

async function unsubscribeNow(
  raw: string,
  form: URLSearchParams,
  client: ClientInfo,
  acceptLanguage: Lang,
): Promise<PageResult> {
  const oneClick = form.get('List-Unsubscribe') === 'One-Click';
  const scope = !oneClick && form.get('scope') === 'all' ? 'all' : 'purpose';
  const result = await writeTransaction(
    async (db) => await unsubscribeIn(db, raw, { scope, method: oneClick ? 'one-click' : 'page', client }),
  );
  if (!result.ok) return invalid(result.error, acceptLanguage);
  const view = result.value;
  const locale = pickLocale(view.locale, acceptLanguage);
  const t = translator(locale);
  return messagePage(
    locale,
    t('unsubscribe.done.title'),
    [
      scope === 'all'
        ? t('unsubscribe.done.all')
        : t('unsubscribe.done.purpose', { purpose: view.purposeName }),
    ],
    `<p><a href="/preferences/${escapeHtml(raw)}">${escapeHtml(t('footer.preferences'))}</a></p>`,
  );
}

export async function preferencesGet(
  raw: string,
  acceptLanguage: Lang = null,
  gpc: GpcSignal = null,
): Promise<PageResult> {
  return await withGpc(raw, 'preferences', gpc, acceptLanguage, async () => {
    const view = await describePreferences(getDb(), raw, acceptLanguage);
    return view.ok ? preferencesPage(view.value) : invalid(view.error, acceptLanguage);
  });
}

export async function preferencesPost(
  raw: string,
  form: URLSearchParams,
  client: ClientInfo,
  acceptLanguage: Lang = null,
  gpc: GpcSignal = null,
): Promise<PageResult> {
  return await withGpc(raw, 'preferences', gpc, acceptLanguage, async (outcome) =>
    preferencesAction(raw, form, client, acceptLanguage, outcome?.purposes.map((p) => p.key) ?? []),
  );
}

async function preferencesAction(
  raw: string,
  form: URLSearchParams,
  client: ClientInfo,
  acceptLanguage: Lang,
  /** Purposes the request's GPC signal objects to: a tick cannot grant them in the same request. */
  gpcObjected: readonly string[],
): Promise<PageResult> {
  const action = form.get('action') ?? 'save';
  if (action === 'export') {
    const result = await writeTransaction(async (db) => await requestExportFromPreferences(db, raw));
    if (!result.ok) return invalid(result.error, acceptLanguage);
    return await withFlash(raw, acceptLanguage, (locale) => translator(locale)('prefs.export.done'));
  }
  if (action === 'erase') {
    const view = await describePreferences(getDb(), raw, acceptLanguage);
    return view.ok ? eraseConfirmPage(view.value.locale) : invalid(view.error, acceptLanguage);
  }
  if (action === 'erase-confirm') {
    const result = await writeTransaction(async (db) => await requestErasureFromPreferences(db, raw));
    if (!result.ok) return invalid(result.error, acceptLanguage);
    const locale = pickLocale(result.value.locale, acceptLanguage);
    const t = translator(locale);
    return messagePage(locale, t('prefs.erase'), [t('prefs.erase.done')]);
  }
  const choices = {
    purposes: form.getAll('purpose').filter((key) => !gpcObjected.includes(key)),
    themes: form.getAll('theme'),
    email: form.getAll('channel').includes('email'),
  };
  const saved = await writeTransaction(async (db) => await savePreferences(db, raw, choices, client));
  if (!saved.ok) return invalid(saved.error, acceptLanguage);
  return await withFlash(raw, acceptLanguage, (locale) => translator(locale)('prefs.saved'));
}

async function withFlash(
  raw: string,
  acceptLanguage: Lang,
  flash: (locale: string) => string,
): Promise<PageResult> {
  const view = await describePreferences(getDb(), raw, acceptLanguage);
  return view.ok
    ? preferencesPage(view.value, flash(view.value.locale))
    : invalid(view.error, acceptLanguage);
}

/** The zip behind an export link, while the link is valid. */
/** The zip itself (app/export/[token]/download): the signal is honoured there too, with no page to say so. */
export async function findExportDownload(raw: string, gpc: GpcSignal = null) {
  if (gpc)
    await writeTransaction(
      async (db) => await honourGpcForLink(db, { raw, place: 'export', client: gpc, acceptLanguage: null }),
    );
  return await findExport(getDb(), raw);
}

export async function exportGet(
  raw: string,
  acceptLanguage: Lang = null,
  gpc: GpcSignal = null,
): Promise<PageResult> {
  return await withGpc(raw, 'export', gpc, acceptLanguage, async () => {
    const found = await findExport(getDb(), raw);
    return found.ok
      ? exportPage(
          { ...found.value, locale: pickLocale(found.value.locale, acceptLanguage) },
          `/export/${raw}/download`,
        )
      : invalid(found.error, acceptLanguage);
  });
}

export async function verifyGet(
  raw: string,
  acceptLanguage: Lang = null,
  gpc: GpcSignal = null,
): Promise<PageResult> {
  return await withGpc(raw, 'privacy-request', gpc, acceptLanguage, async () => {
    const view = await describeVerification(getDb(), raw);
    return view.ok
      ? verifyPage({ ...view.value, locale: pickLocale(view.value.locale, acceptLanguage) })
      : invalid(view.error, acceptLanguage);
  });
}

export async function verifyPost(
  raw: string,
  acceptLanguage: Lang = null,
  gpc: GpcSignal = null,
): Promise<PageResult> {
  return await withGpc(raw, 'privacy-request', gpc, acceptLanguage, async () => {
    const view = await writeTransaction(async (db) => await verifyPrivacyRequest(db, raw));
    if (!view.ok) return invalid(view.error, acceptLanguage);
    const locale = pickLocale(view.value.locale, acceptLanguage);
    const t = translator(locale);
    return messagePage(locale, t('verify.done.title'), [t('verify.done.body')]);
  });
}

/** The full privacy notice, public, in the browser's language: every purpose in use with its current notice text. */
export async function privacyNoticeGet(acceptLanguage: Lang = null): Promise<PageResult> {
  const db = getDb();
  const locale = localeFromAcceptLanguage(acceptLanguage);
  const purposes = [];
  for (const p of (await listPurposes(db)).filter((purpose) => !purpose.archivedAt)) {
    const notice = await currentNotice(db, p.id, locale);
    purposes.push({
      ...localizedText(p, locale),
      legalBasis: p.legalBasis,
      retentionDays: p.retentionDays,
      recipients: p.recipients,
      notice: notice?.text ?? '',
    });
  }
  return privacyNoticePage(locale, purposes);
}
