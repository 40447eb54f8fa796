import { findCycles } from '../helpers';
import { describeNode } from '../structure';
import { rawField, type Rule, type ValidatableNode } from './context';

/** A wait of zero minutes is no pause at all, so it does not make a loop safe. */
function pausesCustomers(node: ValidatableNode): boolean {
  if (node.type !== 'wait') return false;
  return rawField(node.config, 'mode') === 'until-local-time' || Number(rawField(node.config, 'minutes')) > 0;
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
