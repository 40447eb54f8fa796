import { de } from './de';
import { en, type MessageKey } from './en';

export type { MessageKey };
export const LOCALES = ['en', 'de'] as const;
export type Locale = (typeof LOCALES)[number];

const catalogs: Record<Locale, Record<MessageKey, string>> = { en, de };

/** The supported locale closest to what we know about the person; English otherwise. */
export function resolveLocale(locale: string | null | undefined): Locale {
  const short = (locale ?? '').slice(0, 2).toLowerCase();
  return (LOCALES as readonly string[]).includes(short) ? (short as Locale) : 'en';
}

/** The supported locale a stored or requested language tag names, or null ("fi", "", unknown). */
export function supportedLocale(tag: string | null | undefined): Locale | null {
  const short = (tag ?? '').trim().slice(0, 2).toLowerCase();
  return (LOCALES as readonly string[]).includes(short) ? (short as Locale) : null;
}

/** The first supported language of an Accept-Language header, by its q-values; null when none is. */
export function acceptedLocale(header: string | null | undefined): Locale | null {
  const ranked = (header ?? '')
    .split(',')
    .map((part, index) => {
      const [tag, ...params] = part.split(';');
      const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find(Boolean);
      return { locale: supportedLocale(tag), q: q === undefined ? 1 : Number(q), index };
    })
    .filter((entry) => entry.locale && entry.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  return ranked[0]?.locale ?? null;
}

/** Picks a locale from an Accept-Language header (first supported language wins); English otherwise. */
export function localeFromAcceptLanguage(header: string | null): Locale {
  return acceptedLocale(header) ?? 'en';
}

/**
 * The language of a customer page: the person's stored language when we speak it, else what
 * their browser asks for, else English.
 */
export function pickLocale(
  stored: string | null | undefined,
  acceptLanguage: string | null | undefined,
): Locale {
  return supportedLocale(stored) ?? acceptedLocale(acceptLanguage) ?? 'en';
}

/** A translator for one locale; {placeholders} are filled from vars (plain text, escape when rendering HTML). */
export function translator(locale: string | null | undefined) {
  const catalog = catalogs[resolveLocale(locale)];
  return (key: MessageKey, vars: Record<string, string | number> = {}): string =>
    catalog[key].replace(/\{(\w+)\}/g, (match, name: string) => (name in vars ? String(vars[name]) : match));
}

export type Translate = ReturnType<typeof translator>;

export function formatDate(date: Date, locale: string | null | undefined): string {
  return date.toLocaleDateString(resolveLocale(locale) === 'de' ? 'de-DE' : 'en-GB', {
    year: 'numeric',
    month: 'long',
    day: 'numeric',
  });
}

/** A retention period in words: whole years or months where it divides, days otherwise. */
export function formatPeriod(days: number, locale: string | null | undefined): string {
  const t = translator(locale);
  if (days >= 365 && days % 365 === 0)
    return days === 365 ? t('period.year') : t('period.years', { n: days / 365 });
  if (days >= 30 && days % 30 === 0)
    return days === 30 ? t('period.month') : t('period.months', { n: days / 30 });
  return days === 1 ? t('period.day') : t('period.days', { n: days });
}
