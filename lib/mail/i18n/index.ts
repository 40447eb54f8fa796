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
