/**
 * The demo workspace's customers are fictional and live at example.com (reserved for examples,
 * RFC 2606). Mail to them never goes through a real SMTP server, even with SMTP_URL set: it stays
 * in the built-in outbox (Settings → Outbox). The test harness alone sets
 * TARMO_DEMO_MAIL_VIA_SMTP=1 so that its SMTP sink receives demo mail too.
 */
export const DEMO_EMAIL_DOMAIN = 'example.com';

export function isDemoAddress(address: string): boolean {
  return address.trim().toLowerCase().endsWith(`@${DEMO_EMAIL_DOMAIN}`);
}

export function demoMailMayUseSmtp(env: Record<string, string | undefined> = process.env): boolean {
  return env.TARMO_DEMO_MAIL_VIA_SMTP === '1';
}
