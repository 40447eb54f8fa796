import { appEnv } from '@/lib/config/env';
import { translator } from '@/lib/mail/i18n';
import { ORG_NAME, escapeHtml } from '@/lib/mail/templates/html';
import type { MessageKey } from '@/lib/mail/i18n';

export type FooterFacts = {
  language: string;
  purposeName: string;
  legalBasis: string;
  unsubscribeUrl: string;
  preferencesUrl: string;
  test?: boolean;
};

/**
 * The legally required footer: who sends, why the person gets the mail (purpose and legal
 * basis), how to unsubscribe and manage preferences, and the controller's address. Built from
 * facts only (no template can reach it) and always added by the renderer.
 */
export function legalFooter(facts: FooterFacts): { html: string; text: string } {
  const words = footerWords(facts);
  const text = [
    ...(words.test ? [words.test] : []),
    words.why,
    `${words.unsubscribe}: ${facts.unsubscribeUrl}`,
    `${words.preferences}: ${facts.preferencesUrl}`,
    words.sender,
  ].join('\n');
  const html = `${words.htmlStart}${escapeHtml(facts.unsubscribeUrl)}${words.htmlMiddle}${escapeHtml(
    facts.preferencesUrl,
  )}${words.htmlEnd}`;
  return { html, text };
}

const VISIBLE = [
  'display:block !important',
  'visibility:visible !important',
  'opacity:1 !important',
  'font-size:12px !important',
  'line-height:1.5 !important',
  'color:#5b6577 !important',
  'max-height:none !important',
  'overflow:visible !important',
].join(';');
const SHOWN = 'visibility:visible !important;opacity:1 !important;font-size:12px !important';

type FooterWords = {
  why: string;
  sender: string;
  test?: string;
  unsubscribe: string;
  preferences: string;
  htmlStart: string;
  htmlMiddle: string;
  htmlEnd: string;
};

/**
 * The footer's words for one language, purpose, basis and sender, built once: only the links
 * differ from mail to mail (the dispatcher renders thousands of mails per purpose).
 */
const footerCache = new Map<string, FooterWords>();
function footerWords(facts: FooterFacts): FooterWords {
  const address = appEnv().TARMO_CONTROLLER_ADDRESS;
  const key = JSON.stringify([facts.language, facts.purposeName, facts.legalBasis, !!facts.test, address]);
  let words = footerCache.get(key);
  if (!words) {
    words = buildFooterWords(facts, address);
    if (footerCache.size > 500) footerCache.clear();
    footerCache.set(key, words);
  }
  return words;
}

function buildFooterWords(facts: FooterFacts, address: string): FooterWords {
  const t = translator(facts.language);
  const why =
    facts.legalBasis === 'consent'
      ? t('footer.why', { purpose: facts.purposeName })
      : t('footer.whyBasis', {
          purpose: facts.purposeName,
          basis: t(`basis.${facts.legalBasis}` as MessageKey),
        });
  const sender = t('footer.sender', { org: ORG_NAME, address });
  const test = facts.test ? t('footer.test') : undefined;
  const unsubscribe = t('footer.unsubscribe');
  const preferences = t('footer.preferences');
  return {
    why,
    sender,
    test,
    unsubscribe,
    preferences,
    // Inline and !important: no style sheet of a template (or a parent's font-size:0) can hide it.
    htmlStart: `<div data-tarmo-footer style="${VISIBLE}">${
      test
        ? `<p style="${SHOWN};display:block !important;margin:0 0 8px;font-weight:bold;color:#b42318">${escapeHtml(test)}</p>`
        : ''
    }<p style="${SHOWN};display:block !important;margin:0 0 4px">${escapeHtml(why)}</p><p style="${SHOWN};display:block !important;margin:0 0 4px"><a href="`,
    htmlMiddle: `" style="${SHOWN};color:#2952cc">${escapeHtml(unsubscribe)}</a> · <a href="`,
    htmlEnd: `" style="${SHOWN};color:#2952cc">${escapeHtml(preferences)}</a></p><p style="${SHOWN};display:block !important;margin:0">${escapeHtml(sender)}</p></div>`,
  };
}
