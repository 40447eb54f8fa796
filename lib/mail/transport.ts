import crypto from 'node:crypto';
import nodemailer, { type SendMailOptions, type Transporter } from 'nodemailer';
import { parseConnectionUrl } from 'nodemailer/lib/shared';
import type SMTPPool from 'nodemailer/lib/smtp-pool';
import { controllerFor } from '@/lib/config/controller';
import { appEnv } from '@/lib/config/env';
import { demoMailMayUseSmtp, isDemoAddress } from './demo-addresses';
import { connectWithoutNagle } from './smtp-socket';

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
  return `<${messageTokenFor(idempotencyKey)}@tarmo>`;
}

/** The Message-ID's local part: 32 hex digits derived from the outbox row's idempotency key. */
export function messageTokenFor(idempotencyKey: string): string {
  return crypto.createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 32);
}

/** The Message-ID a token (messageTokenFor) stands for; undefined when it is not one. */
export function messageIdOfToken(token: string): string | undefined {
  const trimmed = token.trim().toLowerCase();
  return /^[0-9a-f]{32}$/.test(trimmed) ? `<${trimmed}@tarmo>` : undefined;
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

/** Default number of pooled SMTP connections (TARMO_SMTP_CONCURRENCY). */
export const DEFAULT_SMTP_CONCURRENCY = 4;

/**
 * How many mails the dispatcher keeps in flight at once over SMTP, one per pooled connection:
 * TARMO_SMTP_CONCURRENCY (1 to 64, default 4). It also bounds how many mails a crashed worker may
 * have handed to the server without recording it (see lib/outbox/dispatcher).
 */
export function smtpConcurrency(env: Record<string, string | undefined> = process.env): number {
  const value = Number(env.TARMO_SMTP_CONCURRENCY || DEFAULT_SMTP_CONCURRENCY);
  return Number.isInteger(value) && value >= 1 ? Math.min(value, 64) : DEFAULT_SMTP_CONCURRENCY;
}

/**
 * The SMTP URL with the pool settings the dispatcher uses: a pool of `concurrency` connections,
 * each kept open for many messages. Settings the operator wrote into SMTP_URL's query win.
 */
export function pooledSmtpUrl(url: string, concurrency = smtpConcurrency()): string {
  const parsed = new URL(url);
  const defaults = { pool: 'true', maxConnections: String(concurrency), maxMessages: '1000' };
  for (const [name, value] of Object.entries(defaults))
    if (!parsed.searchParams.has(name)) parsed.searchParams.set(name, value);
  return parsed.toString();
}

/** nodemailer's pool options for SMTP_URL (pooledSmtpUrl), its connections opened without Nagle's algorithm. */
export function pooledSmtpOptions(url: string, concurrency = smtpConcurrency()): SMTPPool.Options {
  return {
    ...parseConnectionUrl(pooledSmtpUrl(url, concurrency)),
    pool: true,
    getSocket: connectWithoutNagle,
  };
}

let cached: { url: string; transporter: Transporter } | undefined;

function smtpTransporter(url: string): Transporter {
  if (cached?.url !== url) {
    cached?.transporter.close();
    cached = { url, transporter: nodemailer.createTransport(pooledSmtpOptions(url)) };
  }
  return cached.transporter;
}

/** Closes the pooled SMTP connections (a worker that stops; the next mail opens new ones). */
export function closeSmtpPool(): void {
  cached?.transporter.close();
  cached = undefined;
}

/** The nodemailer message of one mail, with its stable Message-ID (the benchmark's raw ceiling sends these too). */
export function smtpMessageOf(mail: OutgoingMail): SendMailOptions {
  return {
    from: senderFor(mail.headers),
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    html: mail.html ?? undefined,
    headers: { ...mail.headers, [POSTMARK_MESSAGE_HEADER]: messageTokenFor(mail.idempotencyKey) },
    messageId: messageIdFor(mail.idempotencyKey),
  };
}

/**
 * Postmark replaces the Message-ID and reports bounces and complaints with its own id; an
 * X-PM-Metadata-* header comes back in the notification's Metadata, so Tarmo's Message-ID (its
 * local part, nothing new to the recipient) travels there and finds the mail a complaint is about
 * (lib/deliverability/notifications). Other servers pass the header on unread.
 */
export const POSTMARK_MESSAGE_HEADER = 'X-PM-Metadata-tarmo-message-id';

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
    await smtpTransporter(env.SMTP_URL).sendMail(smtpMessageOf(mail));
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
