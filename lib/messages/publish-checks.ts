import type { Db } from '@/db/client';
import { customersMissing } from '@/db/store/messages';
import { LANGUAGE_NAMES, type MessageContent } from './content';
import { languageEntries, variablesNeedingData, type MessageProblem } from './checks';
import { compileVariant } from './compile';
import { CUSTOMER_FIELDS } from './variables';
import { workspaceLayout } from './workspace-settings';

/**
 * What only the server can check before a message may go out (checkMessage covers syntax,
 * variables and languages): the MJML compiled, its validation errors named with their line, and,
 * for each variable used without a default, how many customers lack it.
 */
export async function checkMessageAgainstData(
  db: Db,
  content: MessageContent,
  attributeNames: readonly string[],
): Promise<MessageProblem[]> {
  const problems: MessageProblem[] = [];
  const layout = await workspaceLayout(db);
  for (const [language, variant] of languageEntries(content)) {
    const compiled = await compileVariant(variant, layout);
    for (const error of compiled.errors)
      problems.push({
        severity: 'error',
        code: 'invalid-mjml',
        language,
        message: `${LANGUAGE_NAMES[language]}: invalid MJML${error.line ? ` (line ${error.line})` : ''}: ${error.message}`,
      });
  }
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
