import { entryNodes, reachableInIndex } from '../helpers';
import { describeNode } from '../structure';
import type { Rule } from './context';

export const unreachableRule: Rule = ({ graph, index }) => {
  const entries = entryNodes(graph);
  if (entries.length === 0) return []; // no-entry already says it; every step would be flagged otherwise
  const reached = reachableInIndex(
    index,
    entries.map((entry) => entry.id),
  );
  return graph.nodes
    .filter((node) => !reached.has(node.id))
    .map((node) => ({
      severity: 'error',
      code: 'unreachable',
      message: `${describeNode(node)} cannot be reached from the entry.`,
      nodeId: node.id,
    }));
};
