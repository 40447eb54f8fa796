import type { Db } from '@/db/client';
import { customersMissing } from '@/db/store/messages';
import { LANGUAGE_NAMES, variantSources, type MessageContent, type MessageLanguage } from './content';
import { languageEntries, variablesNeedingData, type MessageProblem } from './checks';
import { compileVariant } from './compile';
import { DEFAULT_LAYOUT, type WorkspaceLayout } from './layout';
import { parseTemplate, TemplateError } from './liquid';
import { renderMessage } from './render';
import { CUSTOMER_FIELDS, messageScope } from './variables';
import { workspaceLayout } from './workspace-settings';

/**
 * What only the server can check before a message may go out (checkMessage covers syntax,
 * variables and languages): the MJML compiled, its validation errors named with their line, a
 * trial render of each variant (a template that hides the legal footer or runs into the sandbox's
 * limits would otherwise pass publishing and fail on every mail), and, for each variable used
 * without a default, how many customers lack it.
 */
export async function checkMessageAgainstData(
  db: Db,
  content: MessageContent,
  attributeNames: readonly string[],
): Promise<MessageProblem[]> {
  const problems = await checkMessageRenders(content, await workspaceLayout(db));
  // A name no customer has is an unknown variable (checkMessage reports it), not missing data.
  const known = new Set<string>([...CUSTOMER_FIELDS, ...attributeNames]);
  for (const variable of variablesNeedingData(content).filter((name) => known.has(name))) {
    const { missing, total } = await customersMissing(db, variable);
    if (missing > 0)
      problems.push({
        severity: 'error',
        code: 'missing-data',
        message: `${missing} of ${total} customers have no ${variable}: add a default, e.g. {{ ${variable} | default: "…" }}`,
      });
  }
  return problems;
}

/**
 * What compiling and rendering the content itself shows, without customer data: each variant's
 * MJML compiled (validation errors named with their line) and a trial render as an empty profile.
 * Publishing runs it, and so does saving a template, so a template nobody could send is refused
 * where it is written.
 */
export async function checkMessageRenders(
  content: MessageContent,
  layout: WorkspaceLayout,
): Promise<MessageProblem[]> {
  const problems: MessageProblem[] = [];
  for (const [language, variant] of languageEntries(content)) {
    const compiled = await compileVariant(variant, layout);
    for (const error of compiled.errors)
      problems.push({
        severity: 'error',
        code: 'invalid-mjml',
        language,
        message: `${LANGUAGE_NAMES[language]}: invalid MJML${error.line ? ` (line ${error.line})` : ''}: ${error.message}`,
      });
    if (compiled.errors.length > 0 || !parses(variantSourcesOf(content, language))) continue;
    const trial = await trialRender(content, language, layout);
    if (trial)
      problems.push({
        severity: 'error',
        code: 'render-failed',
        language,
        message: `${LANGUAGE_NAMES[language]}: ${trial}`,
      });
  }
  return problems;
}

function variantSourcesOf(content: MessageContent, language: MessageLanguage): string[] {
  const variant = content.variants[language];
  return variant ? variantSources(variant) : [];
}

/** A syntax error is checkMessage's to report; the trial render would only repeat it. */
function parses(sources: string[]): boolean {
  try {
    for (const source of sources) parseTemplate(source);
    return true;
  } catch (error) {
    if (error instanceof TemplateError) return false;
    throw error;
  }
}

const TRIAL_LINKS = {
  unsubscribeUrl: 'https://tarmo.invalid/unsubscribe/check',
  preferencesUrl: 'https://tarmo.invalid/preferences/check',
};

/**
 * Renders one variant as an empty profile, unknown variables empty (missing data is its own
 * check): the error a real mail of this variant would fail with, or undefined.
 */
async function trialRender(
  content: MessageContent,
  language: MessageLanguage,
  layout: WorkspaceLayout = DEFAULT_LAYOUT,
): Promise<string | undefined> {
  const purpose = { key: 'check', name: 'Check', description: '', legalBasis: 'consent' };
  const rendered = await renderMessage({
    content: { fallbackLanguage: language, variants: { [language]: content.variants[language] } },
    layout,
    language,
    timeZone: 'UTC',
    scope: messageScope({ purpose, links: TRIAL_LINKS }),
    footer: { purposeName: purpose.name, legalBasis: purpose.legalBasis, ...TRIAL_LINKS },
    lenient: true,
  });
  return rendered.ok ? undefined : rendered.error;
}
