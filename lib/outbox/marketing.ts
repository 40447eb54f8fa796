import type { Db } from '@/db/client';
import { contactPurpose } from '@/db/store/contact-facts';
import { mailRecipient, type MailRecipient } from '@/db/store/privacy-customers';
import { appEnv } from '@/lib/config/env';
import { translator } from '@/lib/mail/i18n';
import { escapeHtml, renderMailHtml } from '@/lib/mail/templates/html';
import { createLink } from '@/lib/privacy/links';

export type MarketingMailInput = {
  customerId: number;
  purposeKey: string;
  themeKey?: string;
  subject: string;
  body: string;
  variables?: Record<string, string | number | boolean | null | undefined>;
  now?: Date;
  /**
   * The recipient and the purpose as the caller already read them in this transaction (a journey
   * step has both at hand: two reads fewer per mail on the executor's hot path); read here when
   * absent.
   */
  recipient?: MailRecipient;
  purpose?: { id: number; name: string };
};

/**
 * The outbox row fields of one marketing mail (the caller adds idempotencyKey, enrollmentId,
 * nextAttemptAt), plus short aliases to/text/html.
 */
export type MarketingMail = {
  ok: true;
  to: string;
  text: string;
  html: string;
  kind: 'email';
  category: 'marketing';
  customerId: number;
  purposeId: number;
  themeKey: string | null;
  toAddress: string;
  subject: string;
  bodyText: string;
  bodyHtml: string;
  headers: Record<string, string>;
};

const VARIABLE = /\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}/g;

/** Replaces {{name}} with the value (unknown variables become empty), escaping each value for HTML when asked. */
export function renderVariables(
  template: string,
  values: Record<string, unknown>,
  escape: (v: string) => string = (v) => v,
): string {
  return template.replace(VARIABLE, (_match, name: string) => {
    const value = values[name];
    return value === undefined || value === null ? '' : escape(String(value));
  });
}

/** The mailto address for List-Unsubscribe: unsubscribe@<domain of MAIL_FROM>. */
function unsubscribeMailbox(): string {
  const from = appEnv().MAIL_FROM;
  const domain = /@([^>\s]+)/.exec(from)?.[1] ?? 'localhost';
  return `unsubscribe@${domain}`;
}

/**
 * Renders a marketing mail for one customer: {{variables}} filled (HTML-escaped in the HTML part),
 * a per-recipient unsubscribe link in the footer, and RFC 2369/8058 headers so mail clients can
 * offer one-click unsubscribe. Consent is NOT checked here: the caller has already asked
 * checkContactAllowed (and the dispatcher asks again).
 */
export async function buildMarketingMail(
  db: Db,
  input: MarketingMailInput,
): Promise<MarketingMail | { ok: false; reason: string }> {
  const customer = input.recipient ?? (await mailRecipient(db, input.customerId));
  if (!customer?.email || customer.status !== 'active')
    return { ok: false, reason: 'skipped: no address on file' };
  const purpose = input.purpose ?? (await contactPurpose(db, input.purposeKey));
  if (!purpose) return { ok: false, reason: `skipped: unknown purpose ${input.purposeKey}` };
  const t = translator(customer.locale);

  const linkInput = {
    kind: 'unsubscribe' as const,
    customerId: customer.id,
    purposeId: purpose.id,
    payload: { themeKey: input.themeKey ?? null },
    now: input.now,
  };
  const link = await createLink(db, linkInput);
  const preferencesUrl = link.url.replace('/unsubscribe/', '/preferences/');
  const values: Record<string, unknown> = {
    name: customer.name,
    firstName: customer.name.split(' ')[0] ?? '',
    ...input.variables,
  };

  // Header injection guard: a subject is one line.
  const subject = renderVariables(input.subject, values)
    .replace(/[\r\n]+/g, ' ')
    .trim();
  const bodyText = renderVariables(input.body, values);
  const footerText = [
    t('footer.why', { purpose: purpose.name }),
    `${t('footer.unsubscribe')}: ${link.url}`,
    `${t('footer.preferences')}: ${preferencesUrl}`,
  ].join('\n');
  const bodyHtmlInner = input.body
    .split(/\n{2,}/)
    .map((para) => `<p>${renderVariables(escapeHtml(para), values, escapeHtml).replace(/\n/g, '<br>')}</p>`)
    .join('\n');
  const footerHtml = `${escapeHtml(t('footer.why', { purpose: purpose.name }))}<br>
<a href="${escapeHtml(link.url)}">${escapeHtml(t('footer.unsubscribe'))}</a> · <a href="${escapeHtml(preferencesUrl)}">${escapeHtml(t('footer.preferences'))}</a>`;

  const fullText = `${bodyText}\n\n--\n${footerText}`;
  const fullHtml = renderMailHtml({ locale: customer.locale, bodyHtml: bodyHtmlInner, footerHtml });
  return {
    ok: true,
    to: customer.email,
    text: fullText,
    html: fullHtml,
    kind: 'email',
    category: 'marketing',
    customerId: customer.id,
    purposeId: purpose.id,
    themeKey: input.themeKey ?? null,
    toAddress: customer.email,
    subject,
    bodyText: fullText,
    bodyHtml: fullHtml,
    headers: {
      'List-Unsubscribe': `<${link.url}>, <mailto:${unsubscribeMailbox()}?subject=unsubscribe-${link.raw}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    },
  };
}
