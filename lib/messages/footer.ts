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
  const t = translator(facts.language);
  const why =
    facts.legalBasis === 'consent'
      ? t('footer.why', { purpose: facts.purposeName })
      : t('footer.whyBasis', {
          purpose: facts.purposeName,
          basis: t(`basis.${facts.legalBasis}` as MessageKey),
        });
  const sender = t('footer.sender', { org: ORG_NAME, address: appEnv().TARMO_CONTROLLER_ADDRESS });
  const test = facts.test ? t('footer.test') : undefined;
  const text = [
    ...(test ? [test] : []),
    why,
    `${t('footer.unsubscribe')}: ${facts.unsubscribeUrl}`,
    `${t('footer.preferences')}: ${facts.preferencesUrl}`,
    sender,
  ].join('\n');
  const html = `<div data-tarmo-footer style="font-size:12px;line-height:1.5;color:#5b6577">${
    test ? `<p style="margin:0 0 8px;font-weight:bold;color:#b42318">${escapeHtml(test)}</p>` : ''
  }<p style="margin:0 0 4px">${escapeHtml(why)}</p><p style="margin:0 0 4px"><a href="${escapeHtml(
    facts.unsubscribeUrl,
  )}" style="color:#2952cc">${escapeHtml(t('footer.unsubscribe'))}</a> · <a href="${escapeHtml(
    facts.preferencesUrl,
  )}" style="color:#2952cc">${escapeHtml(t('footer.preferences'))}</a></p><p style="margin:0">${escapeHtml(sender)}</p></div>`;
  return { html, text };
}
