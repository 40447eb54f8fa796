import { getDb, writeTransaction } from '@/db/client';
import { translator } from '@/lib/mail/i18n';
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
import { describeVerification, verifyPrivacyRequest } from './requests';
import {
  eraseConfirmPage,
  exportPage,
  invalidLinkPage,
  messagePage,
  optInPage,
  preferencesPage,
  unsubscribePage,
  verifyPage,
  type PageResult,
} from './pages';

/**
 * The customer-facing pages as plain functions of (token, form): GET variants only read;
 * POST variants change state with the link's own token as the credential (no cookie, no CSRF
 * token: RFC 8058 one-click must work from a mail provider's server).
 */
export async function optInGet(raw: string): Promise<PageResult> {
  const view = await describeOptIn(getDb(), raw);
  return view.ok ? optInPage(view) : invalidLinkPage(view.status, view.locale);
}

export async function optInPost(raw: string, client: ClientInfo): Promise<PageResult> {
  const result = await writeTransaction(async (db) => await confirmOptInIn(db, raw, client));
  if (!result.ok) return invalidLinkPage(result.status, result.locale);
  const t = translator(result.locale);
  return messagePage(
    result.locale,
    t('optin.done.title'),
    [t('optin.done.body', { purpose: result.purposeName })],
    `<p><a href="${escapeHtml(result.preferencesUrl)}">${escapeHtml(t('optin.done.preferences'))}</a></p>`,
  );
}

export async function unsubscribeGet(raw: string): Promise<PageResult> {
  const view = await describeUnsubscribe(getDb(), raw);
  return view.ok ? unsubscribePage(view, `/preferences/${raw}`) : invalidLinkPage(view.status, view.locale);
}

export async function unsubscribePost(
  raw: string,
  form: URLSearchParams,
  client: ClientInfo,
): Promise<PageResult> {
  const oneClick = form.get('List-Unsubscribe') === 'One-Click';
  const scope = !oneClick && form.get('scope') === 'all' ? 'all' : 'purpose';
  const view = await writeTransaction(
    async (db) => await unsubscribeIn(db, raw, { scope, method: oneClick ? 'one-click' : 'page', client }),
  );
  if (!view.ok) return invalidLinkPage(view.status, view.locale);
  const t = translator(view.locale);
  return messagePage(
    view.locale,
    t('unsubscribe.done.title'),
    [
      scope === 'all'
        ? t('unsubscribe.done.all')
        : t('unsubscribe.done.purpose', { purpose: view.purposeName }),
    ],
    `<p><a href="/preferences/${escapeHtml(raw)}">${escapeHtml(t('footer.preferences'))}</a></p>`,
  );
}

export async function preferencesGet(raw: string): Promise<PageResult> {
  const view = await describePreferences(getDb(), raw);
  return view.ok ? preferencesPage(view) : invalidLinkPage(view.status, view.locale);
}

export async function preferencesPost(
  raw: string,
  form: URLSearchParams,
  client: ClientInfo,
): Promise<PageResult> {
  const action = form.get('action') ?? 'save';
  if (action === 'export') {
    const result = await writeTransaction(async (db) => await requestExportFromPreferences(db, raw));
    if (!result.ok) return invalidLinkPage(result.status ?? 404, result.locale);
    return await withFlash(raw, translator(result.locale)('prefs.export.done'));
  }
  if (action === 'erase') {
    const view = await describePreferences(getDb(), raw);
    return view.ok ? eraseConfirmPage(view.locale) : invalidLinkPage(view.status, view.locale);
  }
  if (action === 'erase-confirm') {
    const result = await writeTransaction(async (db) => await requestErasureFromPreferences(db, raw));
    if (!result.ok) return invalidLinkPage(result.status ?? 404, result.locale);
    const t = translator(result.locale);
    return messagePage(result.locale, t('prefs.erase'), [t('prefs.erase.done')]);
  }
  const choices = {
    purposes: form.getAll('purpose'),
    themes: form.getAll('theme'),
    email: form.getAll('channel').includes('email'),
  };
  const view = await writeTransaction(async (db) => await savePreferences(db, raw, choices, client));
  if (!view.ok) return invalidLinkPage(view.status, view.locale);
  return preferencesPage(view, translator(view.locale)('prefs.saved'));
}

async function withFlash(raw: string, flash: string): Promise<PageResult> {
  const view = await describePreferences(getDb(), raw);
  return view.ok ? preferencesPage(view, flash) : invalidLinkPage(view.status, view.locale);
}

/** The zip behind an export link, while the link is valid. */
export async function findExportDownload(raw: string) {
  return await findExport(getDb(), raw);
}

export async function exportGet(raw: string): Promise<PageResult> {
  const found = await findExport(getDb(), raw);
  return found.ok
    ? exportPage(found, `/export/${raw}/download`)
    : invalidLinkPage(found.status, found.locale);
}

export async function verifyGet(raw: string): Promise<PageResult> {
  const view = await describeVerification(getDb(), raw);
  return view.ok ? verifyPage(view) : invalidLinkPage(view.status, view.locale);
}

export async function verifyPost(raw: string): Promise<PageResult> {
  const view = await writeTransaction(async (db) => await verifyPrivacyRequest(db, raw));
  if (!view.ok) return invalidLinkPage(view.status, view.locale);
  const t = translator(view.locale);
  return messagePage(view.locale, t('verify.done.title'), [t('verify.done.body')]);
}
