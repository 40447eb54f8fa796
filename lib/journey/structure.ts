import { getAnyStep, outputsOfNode, type StepType } from './steps';

/**
 * The smallest graph shape the pure helpers need. A parsed `JourneyGraph`, a
 * draft from the canvas and test fixtures all fit it.
 */
export interface GraphNodeShape {
  id: string;
  type: StepType;
  title?: string;
  /** Read only by step types whose outputs depend on it (a split's branches). */
  config?: unknown;
}
export interface GraphEdgeShape {
  id: string;
  source: string;
  sourceHandle: string;
  target: string;
}
export interface GraphShape<
  N extends GraphNodeShape = GraphNodeShape,
  E extends GraphEdgeShape = GraphEdgeShape,
> {
  nodes: readonly N[];
  edges: readonly E[];
}

export interface GraphIndex<
  N extends GraphNodeShape = GraphNodeShape,
  E extends GraphEdgeShape = GraphEdgeShape,
> {
  /** First node with each id (duplicates are reported separately). */
  nodesById: ReadonlyMap<string, N>;
  outgoing: ReadonlyMap<string, readonly E[]>;
  incoming: ReadonlyMap<string, readonly E[]>;
}

/** One pass over the graph so every helper after it is linear, even at 5000 steps. */
export function indexGraph<N extends GraphNodeShape, E extends GraphEdgeShape>(
  graph: GraphShape<N, E>,
): GraphIndex<N, E> {
  const nodesById = new Map<string, N>();
  for (const node of graph.nodes) if (!nodesById.has(node.id)) nodesById.set(node.id, node);
  const outgoing = new Map<string, E[]>();
  const incoming = new Map<string, E[]>();
  for (const edge of graph.edges) {
    pushTo(outgoing, edge.source, edge);
    pushTo(incoming, edge.target, edge);
  }
  return { nodesById, outgoing, incoming };
}

function pushTo<V>(map: Map<string, V[]>, key: string, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** How messages name a step: its title when it has one, else its id. */
export function describeNode(node: GraphNodeShape): string {
  return `${getAnyStep(node.type).label} “${node.title?.trim() || node.id}”`;
}

export interface StructuralIssue {
  code:
    | 'duplicate-node-id'
    | 'duplicate-edge-id'
    | 'edge-unknown-node'
    | 'unknown-handle'
    | 'output-connected-twice'
    | 'edge-into-entry';
  message: string;
  /** Path inside the graph JSON, e.g. ['edges', 2, 'sourceHandle']. */
  path: (string | number)[];
  nodeId?: string;
  edgeId?: string;
}

/**
 * Problems that make a graph ambiguous to execute. Shared by the graph schema
 * (rejects them on publish) and the validator (reports them on drafts).
 */
export function findStructuralIssues(graph: GraphShape): StructuralIssue[] {
  const issues: StructuralIssue[] = [];
  const nodesById = new Map<string, GraphNodeShape>();
  graph.nodes.forEach((node, i) => {
    if (nodesById.has(node.id)) {
      issues.push({
        code: 'duplicate-node-id',
        message: `Two steps share the id “${node.id}”`,
        path: ['nodes', i, 'id'],
        nodeId: node.id,
      });
    } else nodesById.set(node.id, node);
  });

  const edgeIds = new Set<string>();
  const usedHandles = new Set<string>();
  graph.edges.forEach((edge, i) => {
    const edgeId = edge.id;
    if (edgeIds.has(edge.id)) {
      issues.push({
        code: 'duplicate-edge-id',
        message: `Two connections share the id “${edge.id}”`,
        path: ['edges', i, 'id'],
        edgeId,
      });
    }
    edgeIds.add(edge.id);

    const source = nodesById.get(edge.source);
    const target = nodesById.get(edge.target);
    if (!source) {
      issues.push({
        code: 'edge-unknown-node',
        message: `Connection “${edge.id}” starts at a step that does not exist (“${edge.source}”)`,
        path: ['edges', i, 'source'],
        edgeId,
      });
    }
    if (!target) {
      issues.push({
        code: 'edge-unknown-node',
        message: `Connection “${edge.id}” leads to a step that does not exist (“${edge.target}”)`,
        path: ['edges', i, 'target'],
        edgeId,
      });
    } else if (target.type === 'entry') {
      issues.push({
        code: 'edge-into-entry',
        message: `${describeNode(target)} starts the journey; nothing may lead into it`,
        path: ['edges', i, 'target'],
        edgeId,
        nodeId: target.id,
      });
    }
    if (!source) return;

    if (!outputsOfNode(source).some((output) => output.id === edge.sourceHandle)) {
      const known = outputsOfNode(source).map((output) => output.id);
      issues.push({
        code: 'unknown-handle',
        message: `${describeNode(source)} has no output “${edge.sourceHandle}”${known.length ? ` (it has ${known.join(', ')})` : ' (it ends the journey)'}`,
        path: ['edges', i, 'sourceHandle'],
        edgeId,
        nodeId: source.id,
      });
      return;
    }
    // One edge per output keeps "what comes next" a single answer for the executor.
    const handleKey = `${edge.source}\u0000${edge.sourceHandle}`;
    if (usedHandles.has(handleKey)) {
      issues.push({
        code: 'output-connected-twice',
        message: `The “${edge.sourceHandle}” output of ${describeNode(source)} is connected more than once`,
        path: ['edges', i, 'sourceHandle'],
        edgeId,
        nodeId: source.id,
      });
    }
    usedHandles.add(handleKey);
  });
  return issues;
}
