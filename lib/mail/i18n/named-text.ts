import type { Translations } from '@/lib/vocabulary';
import { resolveLocale } from './index';

type Named = { name: string; description: string; translations?: Translations | null };

/**
 * A purpose's or theme's name and description in a customer's language: the translation when
 * one is written (Settings → Purposes), else the default (English) text. Used by every customer
 * page and mail, so a German customer reads German throughout.
 */
export function localizedText(
  row: Named,
  locale: string | null | undefined,
): { name: string; description: string } {
  const language = resolveLocale(locale);
  const translated = language === 'en' ? undefined : row.translations?.[language];
  return {
    name: translated?.name.trim() || row.name,
    description: translated?.description.trim() || row.description,
  };
}

/** The row with its name and description in the customer's language. */
export function localized<T extends Named>(row: T, locale: string | null | undefined): T {
  return { ...row, ...localizedText(row, locale) };
}
