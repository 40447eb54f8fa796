import { entryNodes, reachableInIndex } from '../helpers';
import { describeNode, type GraphEdgeShape } from '../structure';
import {
  purposeOfNode,
  rawField,
  themesOfNode,
  type Rule,
  type RuleInput,
  type ValidatableNode,
} from './context';

interface SendNeed {
  purpose: string;
  theme: string | undefined;
}

/**
 * Whether passing `edge` means consent for the send's purpose (and theme) was
 * just confirmed: a consent gate's "granted" or a double opt-in's "confirmed".
 */
function grantsConsent(input: RuleInput, edge: GraphEdgeShape, need: SendNeed): boolean {
  const gate = input.index.nodesById.get(edge.source);
  if (!gate || purposeOfNode(input, gate) !== need.purpose) return false;
  if (gate.type === 'consent-gate' && edge.sourceHandle === 'granted') {
    const gateThemes = themesOfNode(input, gate);
    return gateThemes.length === 0 || gateThemes.includes(need.theme ?? '');
  }
  if (gate.type === 'double-opt-in' && edge.sourceHandle === 'confirmed') {
    const offered = themesOfNode(input, gate);
    return offered.length === 0 || need.theme === undefined || offered.includes(need.theme);
  }
  return false;
}

/**
 * Warns when some path from the entry reaches a send-message without passing a
 * gate for its purpose. The sender re-checks consent at dispatch either way; this
 * catches journeys that would mostly end in "skipped". Sends sharing a purpose
 * and theme share one walk, so the rule stays linear per purpose.
 */
export const sendWithoutConsentGateRule: Rule = (input) => {
  const entries = entryNodes(input.graph).map((entry) => entry.id);
  const sendsByNeed = new Map<string, { need: SendNeed; sends: ValidatableNode[] }>();
  for (const node of input.graph.nodes) {
    const purpose = node.type === 'send-message' ? purposeOfNode(input, node) : undefined;
    if (purpose === undefined) continue;
    const theme = rawField(input.validConfigs.get(node.id), 'theme');
    const need = { purpose, theme: typeof theme === 'string' ? theme : undefined };
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
