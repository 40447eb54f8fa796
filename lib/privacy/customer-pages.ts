import { getDb, writeTransaction } from '@/db/client';
import { translator } from '@/lib/mail/i18n';
import { escapeHtml } from '@/lib/mail/templates/html';
import { confirmOptInSync, describeOptIn } from './optin';
import { describeUnsubscribe, unsubscribeSync, type ClientInfo } from './unsubscribe';
import {
  describePreferences,
  requestErasureFromPreferences,
  requestExportFromPreferences,
  savePreferences,
} from './preferences';
import { findExport } from './exports';
import { describeVerification, verifyPrivacyRequestSync } from './requests';
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
export function optInGet(raw: string): PageResult {
  const view = describeOptIn(getDb(), raw);
  return view.ok ? optInPage(view) : invalidLinkPage(view.status, view.locale);
}

export function optInPost(raw: string, client: ClientInfo): PageResult {
  const result = writeTransaction((db) => confirmOptInSync(db, raw, client));
  if (!result.ok) return invalidLinkPage(result.status, result.locale);
  const t = translator(result.locale);
  return messagePage(
    result.locale,
    t('optin.done.title'),
    [t('optin.done.body', { purpose: result.purposeName })],
    `<p><a href="${escapeHtml(result.preferencesUrl)}">${escapeHtml(t('optin.done.preferences'))}</a></p>`,
  );
}

export function unsubscribeGet(raw: string): PageResult {
  const view = describeUnsubscribe(getDb(), raw);
  return view.ok ? unsubscribePage(view, `/preferences/${raw}`) : invalidLinkPage(view.status, view.locale);
}

export function unsubscribePost(raw: string, form: URLSearchParams, client: ClientInfo): PageResult {
  const oneClick = form.get('List-Unsubscribe') === 'One-Click';
  const scope = !oneClick && form.get('scope') === 'all' ? 'all' : 'purpose';
  const view = writeTransaction((db) =>
    unsubscribeSync(db, raw, { scope, method: oneClick ? 'one-click' : 'page', client }),
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

export function preferencesGet(raw: string): PageResult {
  const view = describePreferences(getDb(), raw);
  return view.ok ? preferencesPage(view) : invalidLinkPage(view.status, view.locale);
}

export function preferencesPost(raw: string, form: URLSearchParams, client: ClientInfo): PageResult {
  const action = form.get('action') ?? 'save';
  if (action === 'export') {
    const result = writeTransaction((db) => requestExportFromPreferences(db, raw));
    if (!result.ok) return invalidLinkPage(result.status ?? 404, result.locale);
    return withFlash(raw, translator(result.locale)('prefs.export.done'));
  }
  if (action === 'erase') {
    const view = describePreferences(getDb(), raw);
    return view.ok ? eraseConfirmPage(view.locale) : invalidLinkPage(view.status, view.locale);
  }
  if (action === 'erase-confirm') {
    const result = writeTransaction((db) => requestErasureFromPreferences(db, raw));
    if (!result.ok) return invalidLinkPage(result.status ?? 404, result.locale);
    const t = translator(result.locale);
    return messagePage(result.locale, t('prefs.erase'), [t('prefs.erase.done')]);
  }
  const choices = {
    purposes: form.getAll('purpose'),
    themes: form.getAll('theme'),
    email: form.getAll('channel').includes('email'),
  };
  const view = writeTransaction((db) => savePreferences(db, raw, choices, client));
  if (!view.ok) return invalidLinkPage(view.status, view.locale);
  return preferencesPage(view, translator(view.locale)('prefs.saved'));
}

function withFlash(raw: string, flash: string): PageResult {
  const view = describePreferences(getDb(), raw);
  return view.ok ? preferencesPage(view, flash) : invalidLinkPage(view.status, view.locale);
}

export function exportGet(raw: string): PageResult {
  const found = findExport(getDb(), raw);
  return found.ok
    ? exportPage(found, `/export/${raw}/download`)
    : invalidLinkPage(found.status, found.locale);
}

export function verifyGet(raw: string): PageResult {
  const view = describeVerification(getDb(), raw);
  return view.ok ? verifyPage(view) : invalidLinkPage(view.status, view.locale);
}

export function verifyPost(raw: string): PageResult {
  const view = writeTransaction((db) => verifyPrivacyRequestSync(db, raw));
  if (!view.ok) return invalidLinkPage(view.status, view.locale);
  const t = translator(view.locale);
  return messagePage(view.locale, t('verify.done.title'), [t('verify.done.body')]);
}
