import type { Finding, Issue, Rule, ValidatableGraph, ValidationContext } from './rules/context';
import { buildRuleInput } from './rules/context';
import { invalidConfigRule } from './rules/config';
import { sendWithoutConsentGateRule } from './rules/consent';
import { cycleWithoutWaitRule } from './rules/cycles';
import { entryCountRule } from './rules/entries';
import { messageContentRule } from './rules/messages';
import { unconnectedOutputRule } from './rules/outputs';
import { missingPurposeRule, purposeCatalogRule } from './rules/purposes';
import { purposeRecordRule } from './rules/records';
import { unreachableRule } from './rules/reachability';
import { structureRule } from './rules/structure';

export type { Finding, Issue, PurposeInfo, ValidatableGraph, ValidationContext } from './rules/context';

export interface ValidationResult {
  /** True when there are no errors; warnings do not block publishing. */
  ok: boolean;
  errors: Issue[];
  warnings: Issue[];
}

/** Each rule is a small pure function of the graph; order here is the order issues are listed in. */
export const VALIDATION_RULES: readonly Rule[] = [
  structureRule,
  entryCountRule,
  unreachableRule,
  cycleWithoutWaitRule,
  unconnectedOutputRule,
  missingPurposeRule,
  invalidConfigRule,
  purposeCatalogRule,
  sendWithoutConsentGateRule,
  messageContentRule,
  purposeRecordRule,
];

/**
 * The publish-time rules about purposes, consent and the record of processing: what
 * `npm run privacy:lint` runs over every journey (lib/journeys/privacy-lint.ts).
 */
export const PRIVACY_RULES: readonly Rule[] = [
  missingPurposeRule,
  purposeCatalogRule,
  sendWithoutConsentGateRule,
  purposeRecordRule,
];

/** The privacy rules' findings on one graph, with their severity. */
export function checkPrivacy(graph: ValidatableGraph, ctx: ValidationContext): Finding[] {
  const input = buildRuleInput(graph, ctx);
  return PRIVACY_RULES.flatMap((rule) => rule(input));
}

/**
 * Checks a journey before publishing (and live on the canvas). Takes a draft
 * whose configs may still be invalid; pass the workspace purposes to also check
 * purpose, theme and recipient names.
 */
export function validateJourney(graph: ValidatableGraph, ctx?: ValidationContext): ValidationResult {
  const input = buildRuleInput(graph, ctx);
  const findings: Finding[] = VALIDATION_RULES.flatMap((rule) => rule(input));
  const errors = findings.filter((finding) => finding.severity === 'error').map(withoutSeverity);
  const warnings = findings.filter((finding) => finding.severity === 'warning').map(withoutSeverity);
  return { ok: errors.length === 0, errors, warnings };
}

function withoutSeverity({ severity: _severity, ...issue }: Finding): Issue {
  return issue;
}
