import { outputsOfNode } from '../steps';
import { describeNode } from '../structure';
import type { Rule } from './context';

/** Also covers a non-terminal step with no outgoing connection: each has at least one required output. */
export const unconnectedOutputRule: Rule = ({ graph, index }) =>
  graph.nodes.flatMap((node) => {
    const connected = new Set((index.outgoing.get(node.id) ?? []).map((edge) => edge.sourceHandle));
    return outputsOfNode(node)
      .filter((output) => output.required && !connected.has(output.id))
      .map((output) => ({
        severity: 'error' as const,
        code: 'unconnected-output',
        message: `The “${output.label}” output of ${describeNode(node)} is not connected.`,
        nodeId: node.id,
      }));
  });
