import { getAnyStep, isTerminalStep, outputsOf, outputsOfNode, stepDefinitions } from './steps';
import {
  indexGraph,
  type GraphEdgeShape,
  type GraphIndex,
  type GraphNodeShape,
  type GraphShape,
} from './structure';

export { findCycles } from './cycles';
export { diffGraphs, type GraphDiff } from './diff';

/**
 * A step as people know it: its title, else its kind ("Exit"), never its internal id ("exit-1");
 * a step the graph no longer has is "a removed step".
 */
export function stepTitleIn(graph: { nodes: readonly GraphNodeShape[] }, nodeId: string): string {
  const node = graph.nodes.find((n) => n.id === nodeId);
  if (!node) return 'a removed step';
  return node.title?.trim() || getAnyStep(node.type).label;
}

/**
 * A journey nobody has built yet: its entry step alone, nothing after it. The editor shows it as
 * an empty state, not as a list of problems (issue 16).
 */
export function isBlankJourney(graph: GraphShape): boolean {
  return graph.nodes.length === 1 && graph.nodes[0]!.type === 'entry' && graph.edges.length === 0;
}

/** Distinct ids of the steps directly after `nodeId`, in edge order. */
export function successors(graph: GraphShape, nodeId: string): string[] {
  return [...new Set(graph.edges.filter((edge) => edge.source === nodeId).map((edge) => edge.target))];
}

/** Where a customer goes after leaving `nodeId` through `handle`; undefined ends their journey. */
export function nextNodeId(graph: GraphShape, nodeId: string, handle: string): string | undefined {
  return graph.edges.find((edge) => edge.source === nodeId && edge.sourceHandle === handle)?.target;
}

/** The node itself and every step that can follow it; edges to missing nodes are ignored. */
export function reachableFrom(graph: GraphShape, nodeId: string): Set<string> {
  return reachableInIndex(indexGraph(graph), [nodeId]);
}

/**
 * Breadth-first walk from `startIds`. `canFollow` lets callers cut edges, e.g.
 * "reachable without passing a consent gate's granted output".
 */
export function reachableInIndex(
  index: GraphIndex,
  startIds: Iterable<string>,
  canFollow: (edge: GraphEdgeShape) => boolean = () => true,
): Set<string> {
  const seen = new Set<string>();
  const queue: string[] = [];
  for (const id of startIds) {
    if (index.nodesById.has(id) && !seen.has(id)) {
      seen.add(id);
      queue.push(id);
    }
  }
  for (let head = 0; head < queue.length; head++) {
    for (const edge of index.outgoing.get(queue[head]) ?? []) {
      if (seen.has(edge.target) || !index.nodesById.has(edge.target) || !canFollow(edge)) continue;
      seen.add(edge.target);
      queue.push(edge.target);
    }
  }
  return seen;
}

/** Every step a customer may have passed through before `nodeId` (not the node itself, unless it loops back). */
export function upstreamNodes(graph: GraphShape, nodeId: string): Set<string> {
  const index = indexGraph(graph);
  const seen = new Set<string>();
  const queue = [nodeId];
  for (let head = 0; head < queue.length; head++) {
    for (const edge of index.incoming.get(queue[head]) ?? []) {
      if (seen.has(edge.source) || !index.nodesById.has(edge.source)) continue;
      seen.add(edge.source);
      queue.push(edge.source);
    }
  }
  return seen;
}

export function entryNodes<N extends GraphNodeShape>(graph: GraphShape<N>): (N & { type: 'entry' })[] {
  return graph.nodes.filter((node): node is N & { type: 'entry' } => node.type === 'entry');
}

export type ConnectionRefusal =
  'unknown-node' | 'self-loop' | 'terminal-source' | 'unknown-handle' | 'handle-in-use' | 'target-is-entry';

export type ConnectionCheck = { ok: true } | { ok: false; code: ConnectionRefusal; reason: string };

/** Whether the canvas may draw this connection; the reason is shown to the marketer. */
export function connectionAllowed(
  graph: GraphShape,
  connection: { source: string; sourceHandle: string; target: string },
): ConnectionCheck {
  const source = graph.nodes.find((node) => node.id === connection.source);
  const target = graph.nodes.find((node) => node.id === connection.target);
  if (!source || !target) return { ok: false, code: 'unknown-node', reason: 'That step no longer exists.' };
  if (source.id === target.id)
    return { ok: false, code: 'self-loop', reason: 'A step cannot lead to itself.' };
  if (isTerminalStep(source.type)) {
    return {
      ok: false,
      code: 'terminal-source',
      reason: `${stepDefinitions[source.type].label} ends the journey; nothing can follow it.`,
    };
  }
  const output = outputsOfNode(source).find((handle) => handle.id === connection.sourceHandle);
  if (!output) {
    return {
      ok: false,
      code: 'unknown-handle',
      reason: `${stepDefinitions[source.type].label} has no “${connection.sourceHandle}” output.`,
    };
  }
  if (target.type === 'entry') {
    return {
      ok: false,
      code: 'target-is-entry',
      reason: 'Entry starts the journey; nothing can lead into it.',
    };
  }
  const inUse = graph.edges.some((edge) => edge.source === source.id && edge.sourceHandle === output.id);
  if (inUse) {
    return {
      ok: false,
      code: 'handle-in-use',
      reason: `The “${output.label}” output is already connected; remove that connection first.`,
    };
  }
  return { ok: true };
}

/** Node size the canvas renders and the auto-layout reserves; wider for steps with more outputs. */
export function nodeSize(type: GraphNodeShape['type'], config?: unknown): { width: number; height: number } {
  return { width: Math.max(240, outputsOf(type, config).length * 96), height: 88 };
}

export interface LayoutInput {
  nodes: { id: string; width: number; height: number }[];
  edges: { id: string; source: string; target: string; sourceHandle: string }[];
}

/** What an auto-layout (e.g. dagre) needs; dangling edges are dropped so the layout never sees a missing node. */
export function layoutInput(graph: GraphShape): LayoutInput {
  const ids = new Set(graph.nodes.map((node) => node.id));
  return {
    nodes: graph.nodes.map((node) => ({ id: node.id, ...nodeSize(node.type, node.config) })),
    edges: graph.edges
      .filter((edge) => ids.has(edge.source) && ids.has(edge.target))
      .map(({ id, source, target, sourceHandle }) => ({ id, source, target, sourceHandle })),
  };
}

type PlacedNode = { type: GraphNodeShape['type']; config?: unknown; position: { x: number; y: number } };

/**
 * Where a new step of this type can go near `start` without covering an existing step: moves
 * down one row at a time (then one column right) so a click-added step is always clickable.
 */
export function freePositionNear(
  nodes: readonly PlacedNode[],
  type: GraphNodeShape['type'],
  start: { x: number; y: number },
  gap = 24,
): { x: number; y: number } {
  const size = nodeSize(type);
  const overlaps = (x: number, y: number) =>
    nodes.some((node) => {
      const other = nodeSize(node.type, node.config);
      return (
        x < node.position.x + other.width + gap &&
        node.position.x < x + size.width + gap &&
        y < node.position.y + other.height + gap &&
        node.position.y < y + size.height + gap
      );
    });
  for (let column = 0; column < 20; column++) {
    for (let row = 0; row < 20; row++) {
      const x = start.x + column * (size.width + gap);
      const y = start.y + row * (size.height + gap);
      if (!overlaps(x, y)) return { x, y };
    }
  }
  return start;
}
