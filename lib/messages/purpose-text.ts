import { localizedText } from '@/lib/mail/i18n/named-text';
import type { Translations } from '@/lib/vocabulary';
import { pickVariant, type MessageContent } from './content';
import type { NamedText } from './variables';

type PurposeWithTranslations = {
  key: string;
  name: string;
  description: string;
  translations: Translations;
  legalBasis: string;
  theme?: { key: string; name: string; description: string; translations: Translations };
};

/**
 * The purpose and theme as a mail names them (the `purpose.name` variable and the legal footer):
 * in the language of the variant the customer gets, so a German mail is German throughout.
 */
export function purposeInMailLanguage(
  purpose: PurposeWithTranslations,
  content: MessageContent,
  customerLanguage: string,
): { purpose: NamedText & { legalBasis: string }; theme?: NamedText } {
  const language = pickVariant(content, customerLanguage)?.language ?? customerLanguage;
  return {
    purpose: { key: purpose.key, ...localizedText(purpose, language), legalBasis: purpose.legalBasis },
    theme: purpose.theme ? { key: purpose.theme.key, ...localizedText(purpose.theme, language) } : undefined,
  };
}
