import crypto from 'node:crypto';
import nodemailer, { type Transporter } from 'nodemailer';
import { controllerFor } from '@/lib/config/controller';
import { appEnv } from '@/lib/config/env';
import { demoMailMayUseSmtp, isDemoAddress } from './demo-addresses';

export interface OutgoingMail {
  idempotencyKey: string;
  to: string;
  subject: string;
  text: string;
  html?: string | null;
  headers: Record<string, string>;
}

export type MailDelivery =
  | { delivered: true; via: 'smtp' | 'outbox'; messageId: string }
  | { delivered: false; error: string; permanent: boolean };

/**
 * Stable per outbox row: a retry after a crash carries the same Message-ID, so mail systems
 * (and the person's client) can drop the duplicate.
 */
export function messageIdFor(idempotencyKey: string): string {
  return `<${crypto.createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 32)}@tarmo>`;
}

/**
 * The From header: MAIL_FROM when the operator set it; otherwise the controller's name in the
 * mail's language (Content-Language), the same name the notice texts and customer pages use.
 */
export function senderFor(
  headers: Record<string, string>,
  env: Record<string, string | undefined> = process.env,
): string | { name: string; address: string } {
  if (env.MAIL_FROM) return env.MAIL_FROM;
  const language =
    Object.entries(headers).find(([name]) => name.toLowerCase() === 'content-language')?.[1] ?? 'en';
  return { name: controllerFor(language, env).name, address: 'no-reply@tarmo.localhost' };
}

let cached: { url: string; transporter: Transporter } | undefined;

function smtpTransporter(url: string): Transporter {
  if (cached?.url !== url) cached = { url, transporter: nodemailer.createTransport(url) };
  return cached.transporter;
}

/**
 * Delivers one mail: through SMTP when SMTP_URL is set; otherwise the built-in outbox is the
 * destination (admins read it in the app) and the row simply counts as delivered. Mail to the
 * demo's fictional customers always stays in the outbox (lib/mail/demo-addresses).
 */
export async function deliverMail(mail: OutgoingMail): Promise<MailDelivery> {
  const env = appEnv();
  const messageId = messageIdFor(mail.idempotencyKey);
  if (!env.SMTP_URL) return { delivered: true, via: 'outbox', messageId };
  if (isDemoAddress(mail.to) && !demoMailMayUseSmtp()) return { delivered: true, via: 'outbox', messageId };
  try {
    await smtpTransporter(env.SMTP_URL).sendMail({
      from: senderFor(mail.headers),
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      html: mail.html ?? undefined,
      headers: mail.headers,
      messageId,
    });
    return { delivered: true, via: 'smtp', messageId };
  } catch (error) {
    const responseCode = (error as { responseCode?: number }).responseCode;
    // 5xx from the server is a hard refusal (bad address); anything else may pass on retry.
    return {
      delivered: false,
      error: error instanceof Error ? error.message : String(error),
      permanent: typeof responseCode === 'number' && responseCode >= 500,
    };
  }
}
