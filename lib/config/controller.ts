import { z } from 'zod';

/**
 * Who is responsible for the customers' data (the controller, GDPR Art. 4(7)), as every customer
 * page, the mail sender name and the notice texts name them (Art. 13(1)(a)). The demo shop's
 * details are the default; an operator sets their own. A name that differs per language goes in
 * TARMO_CONTROLLER_NAME_<LANG> (e.g. _DE), which overrides TARMO_CONTROLLER_NAME for that language.
 */
export type Controller = {
  name: string;
  address: string;
  contact: string;
  /** Where the full privacy notice is: this site's /privacy unless the operator has their own. */
  privacyNoticeUrl: string;
};

/** The demo's notice texts name the shop so in every language. */
const DEMO_NAME = 'Tarmo Village Shop';

const controllerEnv = z.object({
  TARMO_CONTROLLER_NAME: z.string().trim().min(1).optional(),
  TARMO_CONTROLLER_ADDRESS: z.string().trim().min(1).default('Kyläkatu 1, 00100 Tarmola, Finland'),
  TARMO_CONTROLLER_CONTACT: z.string().trim().min(1).default('privacy@tarmo.localhost'),
  TARMO_PRIVACY_NOTICE_URL: z.string().trim().min(1).default('/privacy'),
});

export function controllerFor(
  locale: string,
  env: Record<string, string | undefined> = process.env,
): Controller {
  const parsed = controllerEnv.parse(env);
  const language = locale.slice(0, 2).toLowerCase();
  const localName = env[`TARMO_CONTROLLER_NAME_${language.toUpperCase()}`]?.trim();
  return {
    name: localName || parsed.TARMO_CONTROLLER_NAME || DEMO_NAME,
    address: parsed.TARMO_CONTROLLER_ADDRESS,
    contact: parsed.TARMO_CONTROLLER_CONTACT,
    privacyNoticeUrl: parsed.TARMO_PRIVACY_NOTICE_URL,
  };
}
