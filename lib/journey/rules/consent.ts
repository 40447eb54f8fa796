import { entryNodes, reachableInIndex } from '../helpers';
import { getAnyStep } from '../steps';
import { describeNode, type GraphEdgeShape } from '../structure';
import { purposeOfNode, themesOfNode, type Rule, type RuleInput, type ValidatableNode } from './context';

interface SendNeed {
  purpose: string;
  theme: string | undefined;
}

/**
 * Whether passing `edge` means consent for the send's purpose (and theme) was just confirmed,
 * as the source step declares (a consent gate's "granted", a double opt-in's "confirmed").
 */
function grantsConsent(input: RuleInput, edge: GraphEdgeShape, need: SendNeed): boolean {
  const gate = input.index.nodesById.get(edge.source);
  if (!gate || purposeOfNode(input, gate) !== need.purpose) return false;
  const grants = getAnyStep(gate.type).grantsConsent;
  const config = input.validConfigs.get(gate.id);
  return grants !== undefined && config !== undefined && grants(config, edge.sourceHandle, need);
}

/**
 * Warns when some path from the entry reaches a step that contacts the customer for a purpose
 * (a send) without passing a gate for it. The sender re-checks consent at dispatch either way; this
 * catches journeys that would mostly end in "skipped". Sends sharing a purpose
 * and theme share one walk, so the rule stays linear per purpose.
 */
export const sendWithoutConsentGateRule: Rule = (input) => {
  const entries = entryNodes(input.graph).map((entry) => entry.id);
  const sendsByNeed = new Map<string, { need: SendNeed; sends: ValidatableNode[] }>();
  for (const node of input.graph.nodes) {
    const purpose = getAnyStep(node.type).contactsForPurpose ? purposeOfNode(input, node) : undefined;
    if (purpose === undefined) continue;
    const need = { purpose, theme: themesOfNode(input, node)[0] };
    const key = `${need.purpose}\u0000${need.theme ?? ''}`;
    const group = sendsByNeed.get(key) ?? { need, sends: [] };
    group.sends.push(node);
    sendsByNeed.set(key, group);
  }
  return [...sendsByNeed.values()].flatMap(({ need, sends }) => {
    const reachedUngated = reachableInIndex(
      input.index,
      entries,
      (edge) => !grantsConsent(input, edge, need),
    );
    return sends
      .filter((send) => reachedUngated.has(send.id))
      .map((send) => ({
        severity: 'warning' as const,
        code: 'send-without-consent-gate',
        message: `${describeNode(send)} can be reached without a consent gate or double opt-in for “${need.purpose}”${need.theme ? ` (${need.theme})` : ''}; customers without consent will be skipped.`,
        nodeId: send.id,
      }));
  });
};
