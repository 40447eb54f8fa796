import { formatDate, resolveLocale, translator } from '@/lib/mail/i18n';
import { controllerFor } from '@/lib/config/controller';
import { escapeHtml, renderMailHtml, textToHtml } from './html';

export type RenderedMail = {
  subject: string;
  bodyText: string;
  bodyHtml: string;
  /** Content-Language: the language the mail is written in; the sender's name follows it (senderFor). */
  headers: Record<string, string>;
};

function languageHeaders(locale: string): Record<string, string> {
  return { 'Content-Language': resolveLocale(locale) };
}

export function optInMail(input: {
  locale: string;
  purposeName: string;
  themeNames: string[];
  noticeText: string;
  url: string;
  hours: number;
}): RenderedMail {
  const t = translator(input.locale);
  const themes = input.themeNames.length ? `\n${t('common.themes')}: ${input.themeNames.join(', ')}` : '';
  const text = [
    t('common.whoAsks', { org: controllerFor(input.locale).name }),
    t('optin.mail.intro', { purpose: input.purposeName }) + themes,
    `${t('common.notice')}:\n${input.noticeText}`,
    `${t('optin.mail.action', { hours: input.hours })}\n${input.url}`,
    t('optin.mail.ignore'),
  ].join('\n\n');
  const html = `${textToHtml(text.split(input.url)[0] ?? '')}
<p><a href="${escapeHtml(input.url)}">${escapeHtml(input.url)}</a></p>
${textToHtml(t('optin.mail.ignore'))}`;
  return {
    subject: t('optin.mail.subject', { purpose: input.purposeName }),
    bodyText: text,
    bodyHtml: renderMailHtml({ locale: input.locale, bodyHtml: html }),
    headers: languageHeaders(input.locale),
  };
}

/** After a confirmed opt-in: what was confirmed, the receipt link(s) to keep, how to withdraw. */
export function receiptMail(input: {
  locale: string;
  purposeName: string;
  themeNames: string[];
  receiptUrls: string[];
}): RenderedMail {
  const t = translator(input.locale);
  const org = controllerFor(input.locale).name;
  const intro = t('receipt.mail.body', { purpose: input.purposeName, org });
  const themes = input.themeNames.length ? `${t('common.themes')}: ${input.themeNames.join(', ')}` : '';
  const withdraw = t('receipt.mail.withdraw');
  const text = [intro, themes, `${t('receipt.link')}:\n${input.receiptUrls.join('\n')}`, withdraw]
    .filter(Boolean)
    .join('\n\n');
  const links = input.receiptUrls
    .map((url) => `<li><a rel="receipt" href="${escapeHtml(url)}">${escapeHtml(url)}</a></li>`)
    .join('');
  const html = `${textToHtml(intro)}${themes ? textToHtml(themes) : ''}<p>${escapeHtml(t('receipt.link'))}:</p><ul>${links}</ul>${textToHtml(withdraw)}`;
  return {
    subject: t('receipt.mail.subject', { purpose: input.purposeName }),
    bodyText: text,
    bodyHtml: renderMailHtml({ locale: input.locale, bodyHtml: html }),
    headers: languageHeaders(input.locale),
  };
}

export function exportMail(input: { locale: string; url: string; expiresAt: Date }): RenderedMail {
  const t = translator(input.locale);
  const intro = t('export.mail.body', { date: formatDate(input.expiresAt, input.locale) });
  return {
    subject: t('export.mail.subject', { org: controllerFor(input.locale).name }),
    bodyText: `${intro}\n\n${input.url}`,
    bodyHtml: renderMailHtml({
      locale: input.locale,
      bodyHtml: `${textToHtml(intro)}<p><a href="${escapeHtml(input.url)}">${escapeHtml(input.url)}</a></p>`,
    }),
    headers: languageHeaders(input.locale),
  };
}

export function verifyRequestMail(input: { locale: string; kind: string; url: string }): RenderedMail {
  const t = translator(input.locale);
  const kind = t(`kind.${input.kind}` as 'kind.access');
  const intro = t('verify.mail.body', { kind });
  return {
    subject: t('verify.mail.subject'),
    bodyText: `${intro}\n${input.url}\n\n${t('verify.mail.ignore')}`,
    bodyHtml: renderMailHtml({
      locale: input.locale,
      bodyHtml: `${textToHtml(intro)}<p><a href="${escapeHtml(input.url)}">${escapeHtml(input.url)}</a></p>${textToHtml(t('verify.mail.ignore'))}`,
    }),
    headers: languageHeaders(input.locale),
  };
}

export function erasureReceiptMail(input: {
  locale: string;
  erasedAt: Date;
  restrictedReasons: string[];
}): RenderedMail {
  const t = translator(input.locale);
  const lines = [t('erasure.mail.body', { date: formatDate(input.erasedAt, input.locale) })];
  if (input.restrictedReasons.length)
    lines.push(t('erasure.mail.restricted', { reasons: input.restrictedReasons.join(' ') }));
  const text = lines.join('\n\n');
  return {
    subject: t('erasure.mail.subject'),
    bodyText: text,
    bodyHtml: renderMailHtml({ locale: input.locale, bodyHtml: textToHtml(text) }),
    headers: languageHeaders(input.locale),
  };
}

/** Art. 12(3): the person is told of an extension, with its reasons, within the first month. */
export function extensionMail(input: {
  locale: string;
  kind: string;
  receivedAt: Date;
  dueAt: Date;
  reason: string;
}): RenderedMail {
  const t = translator(input.locale);
  const text = [
    t('extension.mail.body', {
      kind: t(`kind.${input.kind}` as 'kind.access'),
      received: formatDate(input.receivedAt, input.locale),
      due: formatDate(input.dueAt, input.locale),
    }),
    t('extension.mail.reason', { reason: input.reason }),
  ].join('\n\n');
  return {
    subject: t('extension.mail.subject'),
    bodyText: text,
    bodyHtml: renderMailHtml({ locale: input.locale, bodyHtml: textToHtml(text) }),
    headers: languageHeaders(input.locale),
  };
}
