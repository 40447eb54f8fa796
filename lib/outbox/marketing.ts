import type { Db } from '@/db/client';
import { findCustomerRuntime } from '@/db/store/journey-runtime';
import { messagePurpose, type MessagePurpose } from '@/db/store/messages';
import { appEnv } from '@/lib/config/env';
import { resolveLocale } from '@/lib/mail/i18n';
import { plainMessage, type MessageContent } from '@/lib/messages/content';
import { purposeInMailLanguage } from '@/lib/messages/purpose-text';
import { renderMessage } from '@/lib/messages/render';
import { workspaceLayout } from '@/lib/messages/workspace-settings';
import { messageScope, type MessageCustomer } from '@/lib/messages/variables';
import { createLink } from '@/lib/privacy/links';

export type MarketingMailInput = {
  customerId: number;
  purposeKey: string;
  themeKey?: string;
  /** The designed message; without it, a plain subject and body (as written before designed messages). */
  content?: MessageContent;
  subject?: string;
  body?: string;
  journeyName?: string;
  /** Extra template variables on top of the customer's fields and attributes. */
  variables?: Record<string, unknown>;
  now?: Date;
  /**
   * The recipient as the caller already read them in this transaction (the dispatcher's
   * send-time guard has them at hand); read here when absent.
   */
  recipient?: MessageCustomer & { id: number; status: string };
  purpose?: MessagePurpose;
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

/** The mailto address for List-Unsubscribe: unsubscribe@<domain of MAIL_FROM>. */
function unsubscribeMailbox(): string {
  const from = appEnv().MAIL_FROM;
  const domain = /@([^>\s]+)/.exec(from)?.[1] ?? 'localhost';
  return `unsubscribe@${domain}`;
}

/**
 * Renders a marketing mail for one customer through the message renderer (lib/messages: Liquid,
 * MJML, the legal footer with a per-recipient unsubscribe link) and adds RFC 2369/8058 headers so
 * mail clients can offer one-click unsubscribe. Consent is NOT checked here: the caller has
 * already asked checkContactAllowed (and the dispatcher asks again).
 */
export async function buildMarketingMail(
  db: Db,
  input: MarketingMailInput,
): Promise<MarketingMail | { ok: false; reason: string }> {
  const customer = input.recipient ?? (await findCustomerRuntime(db, input.customerId));
  if (!customer?.email || customer.status !== 'active')
    return { ok: false, reason: 'skipped: no address on file' };
  const purpose = input.purpose ?? (await messagePurpose(db, input.purposeKey, input.themeKey));
  if (!purpose) return { ok: false, reason: `skipped: unknown purpose ${input.purposeKey}` };

  const link = await createLink(db, {
    kind: 'unsubscribe',
    customerId: input.customerId,
    purposeId: purpose.id,
    payload: { themeKey: input.themeKey ?? null },
    now: input.now,
  });
  const preferencesUrl = link.url.replace('/unsubscribe/', '/preferences/');
  // A plain message (no language of its own) goes out in the customer's language, as before.
  const content =
    input.content ?? plainMessage(input.subject ?? '', input.body ?? '', resolveLocale(customer.locale));
  const named = purposeInMailLanguage(purpose, content, customer.locale);
  const rendered = await renderMessage({
    content,
    layout: await workspaceLayout(db),
    language: customer.locale,
    timeZone: customer.timeZone,
    scope: {
      ...messageScope({
        customer,
        purpose: named.purpose,
        theme: named.theme,
        journey: input.journeyName === undefined ? undefined : { name: input.journeyName },
        links: { unsubscribeUrl: link.url, preferencesUrl },
      }),
      ...input.variables,
    },
    footer: {
      purposeName: named.purpose.name,
      legalBasis: purpose.legalBasis,
      unsubscribeUrl: link.url,
      preferencesUrl,
    },
    // A plain message's {{unknown}} stays empty, as it always did; designed ones are strict.
    lenient: !input.content,
    trackLinks: purpose.clickTracking
      ? {
          ownOrigin: appEnv().appUrl,
          track: async (url) =>
            (
              await createLink(db, {
                kind: 'click',
                customerId: input.customerId,
                purposeId: purpose.id,
                payload: { url, themeKey: input.themeKey ?? null },
                now: input.now,
              })
            ).url,
        }
      : undefined,
  });
  if (!rendered.ok)
    return { ok: false, reason: `skipped: the message could not be rendered: ${rendered.error}` };
  const { subject, text, html, language } = rendered.message;
  return {
    ok: true,
    to: customer.email,
    text,
    html,
    kind: 'email',
    category: 'marketing',
    customerId: input.customerId,
    purposeId: purpose.id,
    themeKey: input.themeKey ?? null,
    toAddress: customer.email,
    subject,
    bodyText: text,
    bodyHtml: html,
    headers: {
      'List-Unsubscribe': `<${link.url}>, <mailto:${unsubscribeMailbox()}?subject=unsubscribe-${link.raw}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      'Content-Language': language,
    },
  };
}
