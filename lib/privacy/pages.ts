import { controllerFor } from '@/lib/config/controller';
import { formatDate, formatPeriod, translator, type Translate } from '@/lib/mail/i18n';
import { escapeHtml, renderPage } from '@/lib/mail/templates/html';
import { httpError } from '@/lib/result';
import type { LinkFailure } from './links';
import type { PreferencesView } from './preferences';

/** Rendered customer page: status and complete HTML. */
export type PageResult = { status: number; html: string };

const e = escapeHtml;

/**
 * The same page for unknown, expired, used and forged links: nothing tells them apart but the
 * status, which the failure's code gives (404 not_found, 410 gone).
 */
export function invalidLinkPage(failure: LinkFailure, locale = 'en'): PageResult {
  const t = translator(locale);
  return {
    status: httpError(failure).status,
    html: renderPage({
      locale,
      title: t('common.invalidLink.title'),
      bodyHtml: `<p>${e(t('common.invalidLink.body'))}</p>`,
    }),
  };
}

export function tooLargePage(locale = 'en'): PageResult {
  const t = translator(locale);
  return { status: 413, html: renderPage({ locale, title: t('common.tooLarge'), bodyHtml: '' }) };
}

/**
 * A page that also says plainly that the browser's Global Privacy Control signal was honoured
 * (first thing under the title, so it is read before anything else on the page).
 */
export function withGpcNotice(page: PageResult, message: string): PageResult {
  const notice = `<p data-testid="gpc-notice"><strong>${e(message)}</strong></p>\n`;
  const at = page.html.indexOf('</h1>');
  if (at < 0) return page;
  const cut = at + '</h1>\n'.length;
  return { ...page, html: page.html.slice(0, cut) + notice + page.html.slice(cut) };
}

export function messagePage(locale: string, title: string, paragraphs: string[], linksHtml = ''): PageResult {
  return {
    status: 200,
    html: renderPage({
      locale,
      title,
      bodyHtml: paragraphs.map((p) => `<p>${e(p)}</p>`).join('\n') + linksHtml,
    }),
  };
}

export function optInPage(view: {
  locale: string;
  purposeName: string;
  purposeDescription: string;
  themes: { name: string; description: string }[];
  noticeText: string;
  noticeVersion: number | null;
  retentionDays: number;
}): PageResult {
  const t = translator(view.locale);
  const themes = view.themes.length
    ? `<h2>${e(t('common.themes'))}</h2><ul>${view.themes.map((th) => `<li><strong>${e(th.name)}</strong> — ${e(th.description)}</li>`).join('')}</ul>`
    : '';
  const body = `<p>${e(t('common.whoAsks', { org: controllerFor(view.locale).name }))}</p>
<p>${e(t('optin.page.intro'))}</p>
<h2>${e(t('common.purpose'))}: ${e(view.purposeName)}</h2>
<p>${e(view.purposeDescription)}</p>
${themes}
<h2>${e(t('common.notice'))}</h2>
<div class="notice" data-testid="notice-text">${e(view.noticeText)}</div>
${view.noticeVersion ? `<p class="muted">${e(t('common.noticeVersion', { version: view.noticeVersion }))}</p>` : ''}
<p data-testid="retention">${e(t('legal.retention', { period: formatPeriod(view.retentionDays, view.locale) }))}</p>
<form method="post"><button class="primary" type="submit">${e(t('optin.page.button'))}</button></form>`;
  return {
    status: 200,
    html: renderPage({
      locale: view.locale,
      title: t('optin.page.title', { purpose: view.purposeName }),
      bodyHtml: body,
    }),
  };
}

export function unsubscribePage(
  view: { locale: string; purposeName: string },
  preferencesUrl: string,
): PageResult {
  const t = translator(view.locale);
  const body = `<p>${e(t('unsubscribe.page.intro', { purpose: view.purposeName }))}</p>
<form method="post"><input type="hidden" name="scope" value="purpose"><button class="primary" type="submit">${e(t('unsubscribe.page.purpose', { purpose: view.purposeName }))}</button></form>
<form method="post"><input type="hidden" name="scope" value="all"><button type="submit">${e(t('unsubscribe.page.all'))}</button></form>
<p><a href="${e(preferencesUrl)}">${e(t('unsubscribe.page.preferences'))}</a></p>`;
  return {
    status: 200,
    html: renderPage({ locale: view.locale, title: t('unsubscribe.page.title'), bodyHtml: body }),
  };
}

export function preferencesPage(view: PreferencesView, flash?: string): PageResult {
  const t = translator(view.locale);
  const purposes = view.purposes
    .map((p) => {
      const id = `p-${p.key}`;
      const themes = p.themes
        .map((th) => {
          const tid = `t-${p.key}-${th.key}`;
          return `<label for="${e(tid)}"><input type="checkbox" id="${e(tid)}" name="theme" value="${e(`${p.key}:${th.key}`)}"${th.state === 'granted' ? ' checked' : ''}> <span>${e(th.name)} <span class="muted">— ${e(th.description)}</span></span></label>`;
        })
        .join('\n');
      return `<fieldset><legend>${e(p.name)}</legend>
<label for="${e(id)}"><input type="checkbox" id="${e(id)}" name="purpose" value="${e(p.key)}"${p.state === 'granted' ? ' checked' : ''}> <span>${e(p.description)}</span></label>
<details><summary>${e(t('common.notice'))}</summary><div class="notice">${e(p.notice)}</div></details>
<p class="muted">${e(t('legal.retention', { period: formatPeriod(p.retentionDays, view.locale) }))}</p>
${themes ? `<div style="margin-left:1.75rem"><p class="muted">${e(t('common.themes'))}</p>${themes}</div>` : ''}
</fieldset>`;
    })
    .join('\n');
  const history = view.history.length
    ? `<ul data-testid="consent-history">${view.history
        .slice(-50)
        .reverse()
        .map((h) => `<li>${e(historySentence(t, h, view.locale))}</li>`)
        .join('')}</ul>`
    : `<p class="muted">${e(t('prefs.history.empty'))}</p>`;
  const body = `${flash ? `<p role="status"><strong>${e(flash)}</strong></p>` : ''}
<p>${e(t('prefs.intro'))}</p>
<form method="post">
<input type="hidden" name="action" value="save">
${purposes}
<fieldset><legend>${e(t('prefs.channels'))}</legend>
<label for="ch-email"><input type="checkbox" id="ch-email" name="channel" value="email"${view.emailOn ? ' checked' : ''}> <span>${e(t('prefs.channel.email'))}</span></label>
</fieldset>
<button class="primary" type="submit">${e(t('prefs.save'))}</button>
</form>
<h2>${e(t('prefs.history'))}</h2>
${history}
<h2>${e(t('prefs.rights'))}</h2>
<form method="post"><input type="hidden" name="action" value="export"><button type="submit">${e(t('prefs.export'))}</button></form>
<form method="post"><input type="hidden" name="action" value="erase"><button class="danger" type="submit">${e(t('prefs.erase'))}</button></form>`;
  return { status: 200, html: renderPage({ locale: view.locale, title: t('prefs.title'), bodyHtml: body }) };
}

export function eraseConfirmPage(locale: string): PageResult {
  const t = translator(locale);
  const body = `<p>${e(t('prefs.erase.confirm'))}</p>
<form method="post"><input type="hidden" name="action" value="erase-confirm"><button class="danger" type="submit">${e(t('prefs.erase.confirmButton'))}</button></form>`;
  return { status: 200, html: renderPage({ locale, title: t('prefs.erase'), bodyHtml: body }) };
}

export function exportPage(view: { locale: string; expiresAt: Date }, downloadUrl: string): PageResult {
  const t = translator(view.locale);
  const body = `<p>${e(t('export.page.body'))}</p>
<p><a class="button" href="${e(downloadUrl)}" download>${e(t('export.page.download'))}</a></p>
<p class="muted">${e(t('export.page.valid', { date: formatDate(view.expiresAt, view.locale) }))}</p>`;
  return {
    status: 200,
    html: renderPage({ locale: view.locale, title: t('export.page.title'), bodyHtml: body }),
  };
}

export function verifyPage(view: { locale: string; kind: string }): PageResult {
  const t = translator(view.locale);
  const kind = t(`kind.${view.kind}` as 'kind.access');
  const body = `<p>${e(t('verify.page.body', { kind }))}</p><form method="post"><button class="primary" type="submit">${e(t('verify.page.button'))}</button></form>`;
  return {
    status: 200,
    html: renderPage({ locale: view.locale, title: t('verify.page.title'), bodyHtml: body }),
  };
}

const HISTORY_ACTIONS = ['request', 'grant', 'withdraw', 'expire', 'object', 'restrict', 'redact'] as const;
const HISTORY_SOURCES = ['form', 'api', 'import', 'staff', 'journey', 'merge', 'system', 'gpc'] as const;

/** One ledger event as the person would say it: "You confirmed “Newsletter” on 7 December 2026. Recorded …". */
export function historySentence(
  t: Translate,
  h: { at: Date; purpose: string; theme: string; action: string; source: string },
  locale: string,
): string {
  const purpose = t('common.quoted', { text: h.purpose });
  const subject = h.theme
    ? t('history.theme', { purpose, theme: t('common.quoted', { text: h.theme }) })
    : purpose;
  const action = (HISTORY_ACTIONS as readonly string[]).includes(h.action)
    ? (h.action as (typeof HISTORY_ACTIONS)[number])
    : 'restrict';
  const sentence = t(`history.${action}`, { purpose: subject, date: formatDate(h.at, locale) });
  if (!(HISTORY_SOURCES as readonly string[]).includes(h.source)) return sentence;
  const via = t(`history.via.${h.source as (typeof HISTORY_SOURCES)[number]}`);
  return `${sentence} ${t('history.how', { via })}`;
}

export type PrivacyNoticePurpose = {
  name: string;
  description: string;
  legalBasis: string;
  retentionDays: number;
  recipients: { name: string; description?: string }[];
  notice: string;
};

/** The full privacy notice (Art. 13): who is responsible, every purpose with basis, retention and recipients, the rights. */
export function privacyNoticePage(locale: string, purposes: PrivacyNoticePurpose[]): PageResult {
  const t = translator(locale);
  const controller = controllerFor(locale);
  const sections = purposes
    .map((p) => {
      const basis = t(`basis.${p.legalBasis}` as 'basis.consent');
      const recipients = p.recipients.length
        ? p.recipients.map((r) => `${r.name}${r.description ? ` (${r.description})` : ''}`).join(', ')
        : t('privacy.recipients.none', { name: controller.name });
      return `<section><h3>${e(p.name)}</h3>
<p>${e(p.description)}</p>
<dl>
<dt>${e(t('privacy.basis'))}</dt><dd>${e(basis)}</dd>
<dt>${e(t('privacy.retention'))}</dt><dd>${e(formatPeriod(p.retentionDays, locale))}</dd>
<dt>${e(t('privacy.recipients'))}</dt><dd>${e(recipients)}</dd>
</dl>
${p.notice ? `<details><summary>${e(t('privacy.notice'))}</summary><div class="notice">${e(p.notice)}</div></details>` : ''}
</section>`;
    })
    .join('\n');
  const body = `<p>${e(t('privacy.intro', { name: controller.name }))}</p>
<p>${e(t('privacy.contact', { address: controller.address, contact: controller.contact }))}</p>
<h2>${e(t('privacy.purposes'))}</h2>
${sections}
<h2>${e(t('privacy.rights'))}</h2>
<p>${e(t('privacy.rights.body', { contact: controller.contact }))}</p>`;
  return { status: 200, html: renderPage({ locale, title: t('privacy.title'), bodyHtml: body }) };
}
