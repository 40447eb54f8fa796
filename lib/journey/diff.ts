import type { GraphNodeShape, GraphShape } from './structure';

export interface GraphDiff {
  added: string[];
  removed: string[];
  /** Steps in both whose type, title, config or outgoing connections differ. Moving a step is not a change. */
  changed: string[];
  summary: string;
}

interface DiffableNode extends GraphNodeShape {
  config?: unknown;
}

export function diffGraphs(before: GraphShape<DiffableNode>, after: GraphShape<DiffableNode>): GraphDiff {
  const beforeNodes = new Map(before.nodes.map((node) => [node.id, node]));
  const afterNodes = new Map(after.nodes.map((node) => [node.id, node]));
  const added = [...afterNodes.keys()].filter((id) => !beforeNodes.has(id));
  const removed = [...beforeNodes.keys()].filter((id) => !afterNodes.has(id));
  const changed = [...afterNodes.keys()].filter((id) => {
    const old = beforeNodes.get(id);
    return old !== undefined && behaviourKey(before, old) !== behaviourKey(after, afterNodes.get(id)!);
  });
  return { added, removed, changed, summary: summarizeDiff(added.length, removed.length, changed.length) };
}

function behaviourKey(graph: GraphShape, node: DiffableNode): string {
  const wiring = graph.edges
    .filter((edge) => edge.source === node.id)
    .map((edge) => `${edge.sourceHandle}->${edge.target}`)
    .sort();
  return stableStringify([node.type, node.title?.trim() ?? '', node.config ?? null, wiring]);
}

/** JSON with sorted object keys, so key order never counts as a change. */
function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, inner]) => inner !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, inner]) => `${JSON.stringify(key)}:${stableStringify(inner)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function summarizeDiff(added: number, removed: number, changed: number): string {
  const parts = [
    [added, 'added'],
    [removed, 'removed'],
    [changed, 'changed'],
  ].filter(([count]) => count !== 0) as [number, string][];
  if (parts.length === 0) return 'No changes';
  return parts
    .map(([count, verb], i) =>
      i === 0 ? `${count} ${count === 1 ? 'step' : 'steps'} ${verb}` : `${count} ${verb}`,
    )
    .join(', ');
}
