import { formatPeriod, translator, type MessageKey } from '@/lib/mail/i18n';
import { escapeHtml, renderPage } from '@/lib/mail/templates/html';
import type { PageResult } from './pages';
import { receiptPath, type StoredReceipt } from './receipts';

const e = escapeHtml;

function formatInstant(iso: string, locale: string): string {
  return new Intl.DateTimeFormat(locale === 'de' ? 'de-DE' : 'en-GB', {
    dateStyle: 'long',
    timeStyle: 'long',
    timeZone: 'UTC',
  }).format(new Date(iso));
}

/** The receipt as a readable page in the person's language; everything on it is in the signed token. */
export function receiptPage(receipt: StoredReceipt, locale: string): PageResult {
  const t = translator(locale);
  const p = receipt.payload;
  const org = p.controller.name;
  const methodKey = `receipt.method.${p.method.kind}` as MessageKey;
  const how = t(methodKey) + (p.method.source ? ` (${p.method.source})` : '');
  const basis = t(`basis.${p.purpose.legalBasis.key}` as MessageKey);
  const themes = p.themes.length
    ? `<dt>${e(t('common.themes'))}</dt><dd>${e(p.themes.map((th) => th.name).join(', '))}</dd>`
    : '';
  const notice = p.notice
    ? `<p><a href="${e(p.notice.url)}" data-testid="receipt-notice">${e(t('receipt.notice.link', { version: p.notice.version }))}</a> <span class="muted">sha256 ${e(p.notice.sha256)}</span></p>`
    : `<p class="muted">${e(t('receipt.notice.none'))}</p>`;
  const rights = p.rights
    .map(
      (r) =>
        `<li><strong>${e(t(`receipt.right.${r.right}` as MessageKey))}</strong> (${e(r.article)}): ${e(
          r.where
            .map((w) => t(`receipt.where.${w}` as MessageKey, { contact: p.controller.contact }))
            .join(', '),
        )}</li>`,
    )
    .join('');
  const path = receiptPath(receipt.receiptId);
  const body = `<p>${e(t('receipt.intro', { org }))}</p>
<h2>${e(t('receipt.what'))}</h2>
<p data-testid="receipt-action"><strong>${e(t(`receipt.action.${p.event.action}` as MessageKey))}</strong></p>
<dl>
<dt>${e(t('common.purpose'))}</dt><dd>${e(p.purpose.name)}${p.purpose.description ? ` — ${e(p.purpose.description)}` : ''}</dd>
${themes}
<dt>${e(t('receipt.when'))}</dt><dd><time datetime="${e(p.event.time)}">${e(formatInstant(p.event.time, locale))}</time></dd>
<dt>${e(t('receipt.how'))}</dt><dd>${e(how)}</dd>
<dt>${e(t('receipt.channel'))}</dt><dd>${e(t('receipt.channel.email'))}</dd>
<dt>${e(t('receipt.basis'))}</dt><dd>${e(basis)}</dd>
<dt>${e(t('receipt.controller'))}</dt><dd>${e(org)}, ${e(p.controller.address)}, ${e(p.controller.contact)}</dd>
</dl>
<p>${e(t('legal.retention', { period: formatPeriod(p.purpose.retentionDays, locale) }))}</p>
<h2>${e(t('receipt.notice'))}</h2>
${notice}
<h2>${e(t('receipt.withdraw'))}</h2>
<p>${e(t('receipt.withdraw.body', { contact: p.controller.contact }))}</p>
<h2>${e(t('receipt.rights'))}</h2>
<ul>${rights}</ul>
<h2>${e(t('receipt.proof'))}</h2>
<p data-testid="receipt-proof">${e(t('receipt.proof.body', { eventId: p.ledger.eventId, hash: p.ledger.hash, kid: receipt.kid }))}</p>
<ul>
<li><a href="${e(path)}?format=jws" download="receipt-${e(p.ledger.eventId)}.jws">${e(t('receipt.proof.token'))}</a></li>
<li><a href="${e(p.ledger.jwks)}">${e(t('receipt.proof.keys'))}</a></li>
</ul>`;
  return {
    status: 200,
    html: renderPage({
      locale,
      title: t(`receipt.title.${p.event.action}` as MessageKey, { purpose: p.purpose.name }),
      bodyHtml: body,
    }),
  };
}
