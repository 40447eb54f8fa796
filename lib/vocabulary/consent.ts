// Consent vocabularies (the ledger's states, actions and sources). Pure constants, no imports.

/** GDPR Art. 6(1) (a)–(f). */
export const LEGAL_BASES = [
  'consent',
  'contract',
  'legal-obligation',
  'vital-interests',
  'public-task',
  'legitimate-interests',
] as const;
export type LegalBasis = (typeof LEGAL_BASES)[number];

/** A named third party of a purpose; each needs its own specific consent. */
export type Recipient = { key: string; name: string; description?: string };

export const CONSENT_STATES = [
  'not-asked',
  'pending',
  'granted',
  'withdrawn',
  'expired',
  'objected',
] as const;
export type ConsentState = (typeof CONSENT_STATES)[number];

export const CONSENT_ACTIONS = [
  'request',
  'grant',
  'withdraw',
  'expire',
  'object',
  'restrict',
  'redact',
] as const;
export type ConsentAction = (typeof CONSENT_ACTIONS)[number];

export const CONSENT_SOURCES = [
  'form',
  'api',
  'import',
  'staff',
  'journey',
  'merge',
  'system',
  'gpc',
] as const;
export type ConsentSource = (typeof CONSENT_SOURCES)[number];

/** Languages a purpose's or theme's name and description are written in besides the default (English). */
export const TRANSLATED_LANGUAGES = ['de'] as const;
export type TranslatedLanguage = (typeof TRANSLATED_LANGUAGES)[number];
/** A purpose's or theme's name and description per language (English is the row's own columns). */
export type Translations = Partial<Record<TranslatedLanguage, { name: string; description: string }>>;
