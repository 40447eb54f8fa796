import { getDb } from '@/db/client';
import { noticeVersionTexts } from '@/db/store/receipts';
import { localeFromAcceptLanguage, pickLocale, translator } from '@/lib/mail/i18n';
import { escapeHtml, renderPage } from '@/lib/mail/templates/html';
import { linkNotFound } from './links';
import { invalidLinkPage, type PageResult } from './pages';
import { receiptJwks } from './receipt-keys';
import { receiptPage } from './receipt-page';
import { findReceipt } from './receipts';

export type ReceiptFormat = 'html' | 'json' | 'jose';

/** `Accept: application/jose` gives the token, `application/json` the JSON; `?format=` for plain links. */
export function receiptFormat(accept: string | null, format: string | null): ReceiptFormat {
  if (format === 'jws' || format === 'jose') return 'jose';
  if (format === 'json') return 'json';
  const wanted = (accept ?? '').toLowerCase();
  if (wanted.includes('application/jose')) return 'jose';
  if (wanted.includes('application/json') && !wanted.includes('text/html')) return 'json';
  return 'html';
}

export type ReceiptAnswer =
  { kind: 'page'; page: PageResult } | { kind: 'json'; body: unknown } | { kind: 'jose'; token: string };

/** A receipt by its id, in the form asked for; an unknown id answers like any dead link. */
export async function receiptAnswer(
  receiptId: string,
  format: ReceiptFormat,
  acceptLanguage: string | null,
): Promise<ReceiptAnswer | null> {
  const db = getDb();
  const receipt = await findReceipt(db, receiptId);
  if (!receipt) {
    if (format !== 'html') return null;
    return {
      kind: 'page',
      page: invalidLinkPage(linkNotFound().error, localeFromAcceptLanguage(acceptLanguage)),
    };
  }
  if (format === 'jose') return { kind: 'jose', token: receipt.token };
  if (format === 'json') return { kind: 'json', body: { receipt: receipt.payload, jws: receipt.token } };
  // The person's language when the receipt was issued, as their other pages use theirs.
  return { kind: 'page', page: receiptPage(receipt, pickLocale(receipt.payload.language, acceptLanguage)) };
}

export async function receiptKeySet() {
  return await receiptJwks();
}

/** One published notice version, the exact text a receipt names (public, like /privacy). */
export async function noticeVersionPage(
  purposeKey: string,
  version: number,
  lang: string | null,
  acceptLanguage: string | null,
): Promise<PageResult> {
  const fallback = localeFromAcceptLanguage(acceptLanguage);
  if (!Number.isInteger(version) || version < 1) return invalidLinkPage(linkNotFound().error, fallback);
  const texts = await noticeVersionTexts(getDb(), purposeKey, version);
  if (texts.length === 0) return invalidLinkPage(linkNotFound().error, fallback);
  const chosen =
    texts.find((n) => n.locale === lang) ??
    texts.find((n) => n.locale === fallback) ??
    texts.find((n) => n.locale === 'en') ??
    texts[0]!;
  const locale = pickLocale(chosen.locale, acceptLanguage);
  const t = translator(locale);
  const others = texts
    .filter((n) => n.locale !== chosen.locale)
    .map(
      (n) =>
        `<a href="?lang=${escapeHtml(n.locale)}" hreflang="${escapeHtml(n.locale)}">${escapeHtml(translator(n.locale)('lang.name'))}</a>`,
    )
    .join(' · ');
  const body = `<p class="muted">${escapeHtml(t('common.noticeVersion', { version: chosen.version }))} · ${escapeHtml(chosen.createdAt.toISOString().slice(0, 10))}</p>
<div class="notice" data-testid="notice-text" lang="${escapeHtml(chosen.locale)}">${escapeHtml(chosen.text)}</div>
<p class="muted">sha256 <code data-testid="notice-hash">${escapeHtml(chosen.textHash)}</code></p>
${others ? `<p>${others}</p>` : ''}`;
  return {
    status: 200,
    html: renderPage({ locale, title: `${t('common.notice')}: ${chosen.purposeName}`, bodyHtml: body }),
  };
}
