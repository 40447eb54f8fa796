import {
  LANGUAGE_NAMES,
  MESSAGE_LANGUAGES,
  variantSources,
  type MessageContent,
  type MessageLanguage,
} from './content';
import { parseTemplate, TemplateError, variablesOf, variablesWithoutDefault } from './liquid';
import { CONTEXT_VARIABLES, CUSTOMER_FIELDS } from './variables';

export type MessageProblem = {
  severity: 'error' | 'warning';
  code:
    | 'liquid-syntax'
    | 'unknown-variable'
    | 'missing-language'
    | 'missing-fallback'
    | 'invalid-mjml'
    | 'render-failed'
    | 'missing-data';
  message: string;
  language?: MessageLanguage;
};

/**
 * The checks that need no database: Liquid syntax, variables nobody has, language variants.
 * Pure and browser-safe, so the canvas shows them while the marketer types; publishing adds the
 * MJML and data checks (lib/messages/publish-checks).
 */
export function checkMessage(content: MessageContent, attributeNames?: readonly string[]): MessageProblem[] {
  const problems: MessageProblem[] = [];
  if (!content.variants[content.fallbackLanguage])
    problems.push({
      severity: 'error',
      code: 'missing-fallback',
      message: `The fallback language ${LANGUAGE_NAMES[content.fallbackLanguage]} has no variant`,
    });
  for (const language of MESSAGE_LANGUAGES) {
    if (!content.variants[language] && language !== content.fallbackLanguage)
      problems.push({
        severity: 'warning',
        code: 'missing-language',
        language,
        message: `No ${LANGUAGE_NAMES[language]} variant: ${LANGUAGE_NAMES[language]}-speaking customers get the ${LANGUAGE_NAMES[content.fallbackLanguage]} one`,
      });
  }
  const known = attributeNames
    ? new Set<string>([...CUSTOMER_FIELDS, ...CONTEXT_VARIABLES, ...attributeNames])
    : undefined;
  for (const [language, variant] of languageEntries(content)) {
    const unknown = new Set<string>();
    for (const source of variantSources(variant)) {
      const variables = liquidVariables(source, language, problems);
      for (const name of variables ?? []) if (known && !known.has(name)) unknown.add(name);
    }
    for (const name of unknown)
      problems.push({
        severity: 'error',
        code: 'unknown-variable',
        language,
        message: `${LANGUAGE_NAMES[language]}: unknown variable “${name}” (no customer has it)`,
      });
  }
  return problems;
}

/** Variables used without a default (or an `if`) in any variant: each must be present for every customer. */
export function variablesNeedingData(content: MessageContent): string[] {
  const names = new Set<string>();
  for (const [, variant] of languageEntries(content))
    for (const source of variantSources(variant)) {
      try {
        for (const name of variablesWithoutDefault(source))
          if (!(CONTEXT_VARIABLES as readonly string[]).includes(name)) names.add(name);
      } catch {
        // a syntax error is reported by checkMessage
      }
    }
  return [...names].sort();
}

/**
 * The customer's data a message reads: its variables that are profile fields or attributes (not
 * the purpose, theme, journey or links), sorted. A variant with a template error reads what the
 * others read (checkMessage reports the error).
 */
export function customerVariablesOf(content: MessageContent): string[] {
  const names = new Set<string>();
  for (const [, variant] of languageEntries(content))
    for (const source of variantSources(variant)) {
      try {
        for (const name of variablesOf(source))
          if (!(CONTEXT_VARIABLES as readonly string[]).includes(name)) names.add(name);
      } catch {
        // a syntax error is reported by checkMessage
      }
    }
  return [...names].sort();
}

function liquidVariables(source: string, language: MessageLanguage, problems: MessageProblem[]) {
  try {
    parseTemplate(source);
    return variablesOf(source);
  } catch (error) {
    if (!(error instanceof TemplateError)) throw error;
    problems.push({
      severity: 'error',
      code: 'liquid-syntax',
      language,
      message: `${LANGUAGE_NAMES[language]}: template error: ${error.message}`,
    });
    return undefined;
  }
}

export function languageEntries(content: MessageContent) {
  return MESSAGE_LANGUAGES.flatMap((language) => {
    const variant = content.variants[language];
    return variant ? [[language, variant] as const] : [];
  });
}
