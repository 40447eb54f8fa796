import { getAnyStep } from '../steps';
import { describeNode } from '../structure';
import {
  purposeOfNode,
  rawConfigOf,
  themesOfNode,
  type Finding,
  type Rule,
  type RuleInput,
  type ValidatableNode,
} from './context';

/** Why the node needs a purpose it lacks, as its step declares (read from the raw config). */
export function missingPurposeOf(node: ValidatableNode): string | undefined {
  return getAnyStep(node.type).missingPurpose?.(rawConfigOf(node.config));
}

export function lacksPurpose(node: ValidatableNode): boolean {
  return missingPurposeOf(node) !== undefined;
}

export const missingPurposeRule: Rule = ({ graph }) =>
  graph.nodes.flatMap((node) => {
    const why = missingPurposeOf(node);
    if (why === undefined) return [];
    return [
      {
        severity: 'error' as const,
        code: 'missing-purpose',
        message: `${describeNode(node)} ${why}`,
        nodeId: node.id,
        field: 'purpose',
      },
    ];
  });

/** Purpose keys, themes and recipients must exist in the workspace (only checked when the caller knows them). */
export const purposeCatalogRule: Rule = (input) => {
  if (!input.purposes) return [];
  return input.graph.nodes.flatMap((node) => [
    ...unknownPurposes(input, node),
    ...unknownThemes(input, node),
    ...unknownRecipient(input, node),
  ]);
};

function unknownPurposes(input: RuleInput, node: ValidatableNode): Finding[] {
  const config = input.validConfigs.get(node.id);
  const own = purposeOfNode(input, node);
  const referenced = config === undefined ? [] : (getAnyStep(node.type).referencedPurposesOf?.(config) ?? []);
  const keys = [...new Set([...(own ? [own] : []), ...referenced])];
  return keys
    .filter((key) => !input.purposes?.has(key))
    .map((key) => ({
      severity: 'error',
      code: 'unknown-purpose',
      message: `${describeNode(node)} uses the purpose “${key}”, which does not exist.`,
      nodeId: node.id,
    }));
}

function unknownThemes(input: RuleInput, node: ValidatableNode): Finding[] {
  const purposeKey = purposeOfNode(input, node);
  const purpose = purposeKey === undefined ? undefined : input.purposes?.get(purposeKey);
  if (purposeKey !== undefined && !purpose) return []; // unknown-purpose covers it
  // A step without a purpose (e.g. a block on a theme) may name a theme of any purpose.
  const known = purpose
    ? new Set(purpose.themes)
    : new Set([...(input.purposes?.values() ?? [])].flatMap((candidate) => candidate.themes));
  return themesOfNode(input, node)
    .filter((theme) => !known.has(theme))
    .map((theme) => ({
      severity: 'error',
      code: 'unknown-theme',
      message: purpose
        ? `${describeNode(node)} uses the theme “${theme}”, which is not a theme of “${purpose.key}”.`
        : `${describeNode(node)} uses the theme “${theme}”, which does not exist.`,
      nodeId: node.id,
    }));
}

/** Named third parties need consent for themselves, so the recipient must be listed on the purpose. */
function unknownRecipient(input: RuleInput, node: ValidatableNode): Finding[] {
  const config = input.validConfigs.get(node.id);
  if (config === undefined) return [];
  const recipient = getAnyStep(node.type).recipientOf?.(config);
  const purposeKey = purposeOfNode(input, node);
  const purpose = purposeKey === undefined ? undefined : input.purposes?.get(purposeKey);
  if (typeof recipient !== 'string' || !purpose || purpose.recipients.includes(recipient)) return [];
  return [
    {
      severity: 'error',
      code: 'unknown-recipient',
      message: `${describeNode(node)} sends data to “${recipient}”, who is not a recipient of “${purpose.key}”.`,
      nodeId: node.id,
    },
  ];
}
