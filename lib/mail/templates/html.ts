import { controllerFor } from '@/lib/config/controller';
import { resolveLocale, translator } from '@/lib/mail/i18n';
/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Plain text to HTML paragraphs (escaped). */
export function textToHtml(text: string): string {
  return text
    .split(/\n{2,}/)
    .map((para) => `<p>${escapeHtml(para).replace(/\n/g, '<br>')}</p>`)
    .join('\n');
}

/** Who is asking, in English (customer pages and mail use the controller's name in their language). */
export const ORG_NAME = 'Tarmo Village Shop';

const PAGE_CSS = `
body{margin:0;font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;background:#f6f7f9;color:#1d2330;line-height:1.5;font-size:16px}
main{max-width:640px;margin:2rem auto;padding:0 1rem}
.card{background:#fff;border:1px solid #dde1e7;border-radius:8px;padding:1.5rem}
h1{font-size:1.4rem;margin:0 0 1rem}h2{font-size:1.1rem;margin:1.5rem 0 .5rem}
.muted{color:#5b6577;font-size:.9rem}
.notice{border-left:4px solid #2952cc;background:#f3f6ff;padding:.75rem 1rem;margin:1rem 0;white-space:pre-wrap}
button{font:inherit;cursor:pointer;border-radius:6px;border:1px solid #dde1e7;background:#fff;padding:.6rem 1rem;margin:.25rem 0;min-height:44px}
button.primary{background:#2952cc;border-color:#2952cc;color:#fff}
button.danger{background:#b42318;border-color:#b42318;color:#fff}
fieldset{border:1px solid #dde1e7;border-radius:6px;margin:1rem 0;padding:.5rem 1rem}
label{display:flex;gap:.5rem;align-items:flex-start;margin:.5rem 0}
input[type=checkbox]{width:1.25rem;height:1.25rem;margin-top:.15rem}
table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{text-align:left;padding:.35rem;border-bottom:1px solid #dde1e7}
footer{max-width:640px;margin:0 auto 2rem;padding:0 1rem}footer p{margin:.25rem 0}
a{color:#2952cc}:focus-visible{outline:3px solid #7aa2ff;outline-offset:2px}
`;

/**
 * A complete, script-free HTML page for customers (works without JavaScript, on a phone). Its
 * footer says who is responsible for the person's data and links the full privacy notice
 * (GDPR Art. 13(1)(a)), in the page's language.
 */
export function renderPage(input: { locale: string; title: string; bodyHtml: string }): string {
  const t = translator(input.locale);
  const controller = controllerFor(input.locale);
  return `<!doctype html>
<html lang="${resolveLocale(input.locale)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(input.title)} · ${escapeHtml(controller.name)}</title>
<style>${PAGE_CSS}</style>
</head>
<body>
<main>
<div class="card">
<h1>${escapeHtml(input.title)}</h1>
${input.bodyHtml}
</div>
</main>
<footer class="muted" data-testid="controller">
<p>${escapeHtml(t('legal.controller', { name: controller.name, address: controller.address, contact: controller.contact }))}</p>
<p><a href="${escapeHtml(controller.privacyNoticeUrl)}">${escapeHtml(t('legal.noticeLink'))}</a></p>
</footer>
</body>
</html>`;
}

/** Simple HTML mail wrapper. */
export function renderMailHtml(input: { locale: string; bodyHtml: string; footerHtml?: string }): string {
  return `<!doctype html><html lang="${resolveLocale(input.locale)}"><head><meta charset="utf-8"></head>
<body style="font-family:system-ui,sans-serif;line-height:1.5;color:#1d2330">
${input.bodyHtml}
${input.footerHtml ? `<hr><div style="font-size:12px;color:#5b6577">${input.footerHtml}</div>` : ''}
</body></html>`;
}
