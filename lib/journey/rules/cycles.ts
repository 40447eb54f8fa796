import { findCycles } from '../helpers';
import { describeNode } from '../structure';
import { getAnyStep } from '../steps';
import { rawConfigOf, type Rule, type ValidatableNode } from './context';

/** Whether the node holds customers for a while, as its step declares (from the raw config). */
function pausesCustomers(node: ValidatableNode): boolean {
  return getAnyStep(node.type).pausesCustomers?.(rawConfigOf(node.config)) ?? false;
}

/**
 * A loop without a wait would spin a customer through it as fast as the worker
 * runs. Cycles are searched with the pausing waits removed, so a loop is flagged
 * even when it shares steps with a loop that does wait.
 */
export const cycleWithoutWaitRule: Rule = ({ graph, index }) => {
  const kept = graph.nodes.filter((node) => !pausesCustomers(node));
  const keptIds = new Set(kept.map((node) => node.id));
  const edges = [...index.outgoing.values()]
    .flat()
    .filter((edge) => keptIds.has(edge.source) && keptIds.has(edge.target));
  return findCycles({ nodes: kept, edges }).map((cycle) => {
    const names = cycle.map((id) => {
      const node = index.nodesById.get(id);
      return node ? describeNode(node) : id;
    });
    return {
      severity: 'error',
      code: 'cycle-without-wait',
      message: `${[...names, names[0]].join(' → ')} loops without a wait; add a wait step to the loop.`,
      nodeId: cycle[0],
    };
  });
};
