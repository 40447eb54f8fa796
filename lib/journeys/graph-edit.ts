import dagre from '@dagrejs/dagre';
import {
  layoutInput,
  type JourneyDraft,
  type JourneyDraftNode,
  type JourneyEdge,
  type StepType,
} from '@/lib/journey';

/**
 * Pure editing helpers behind the canvas: undo history, copy/paste, ids and auto-layout.
 * They work on plain graph data so they are unit-tested without a browser.
 */

// ---------------------------------------------------------------- undo / redo

export interface History<T> {
  past: T[];
  present: T;
  future: T[];
}

export const HISTORY_LIMIT = 500;

export function createHistory<T>(present: T): History<T> {
  return { past: [], present, future: [] };
}

/** Records a new state; anything that was undone is dropped, the oldest entries beyond the limit too. */
export function pushHistory<T>(history: History<T>, next: T, limit = HISTORY_LIMIT): History<T> {
  if (next === history.present) return history;
  const past = [...history.past, history.present];
  if (past.length > limit) past.splice(0, past.length - limit);
  return { past, present: next, future: [] };
}

export function undoHistory<T>(history: History<T>): History<T> {
  if (history.past.length === 0) return history;
  const previous = history.past[history.past.length - 1];
  return { past: history.past.slice(0, -1), present: previous, future: [history.present, ...history.future] };
}

export function redoHistory<T>(history: History<T>): History<T> {
  if (history.future.length === 0) return history;
  const [next, ...rest] = history.future;
  return { past: [...history.past, history.present], present: next, future: rest };
}

// ---------------------------------------------------------------- ids

/** A readable id unique in the graph, e.g. "send-message-3", matching the node id rule. */
export function newNodeId(type: StepType, existing: Iterable<string>): string {
  const taken = new Set(existing);
  for (let n = 1; ; n++) {
    const id = `${type}-${n}`;
    if (!taken.has(id)) return id;
  }
}

export function edgeIdFor(edge: Pick<JourneyEdge, 'source' | 'sourceHandle' | 'target'>): string {
  return `${edge.source}-${edge.sourceHandle}-${edge.target}`;
}

// ---------------------------------------------------------------- copy / paste

export interface Clipboard {
  nodes: JourneyDraftNode[];
  /** Only connections between copied steps: a pasted copy never steals an output of the original. */
  edges: JourneyEdge[];
}

export function copySelection(graph: JourneyDraft, selectedIds: Iterable<string>): Clipboard {
  const ids = new Set(selectedIds);
  return {
    nodes: graph.nodes.filter((node) => ids.has(node.id)).map((node) => structuredClone(node)),
    edges: graph.edges
      .filter((edge) => ids.has(edge.source) && ids.has(edge.target))
      .map((edge) => ({ ...edge })),
  };
}

/** Adds the clipboard's steps with fresh ids, shifted by `offset`; returns the graph and the new ids. */
export function pasteClipboard(
  graph: JourneyDraft,
  clipboard: Clipboard,
  offset = { x: 40, y: 40 },
): { graph: JourneyDraft; pastedIds: string[] } {
  const taken = new Set(graph.nodes.map((node) => node.id));
  const renamed = new Map<string, string>();
  const nodes = clipboard.nodes.map((node) => {
    const id = newNodeId(node.type, taken);
    taken.add(id);
    renamed.set(node.id, id);
    return {
      ...structuredClone(node),
      id,
      position: { x: node.position.x + offset.x, y: node.position.y + offset.y },
    };
  });
  const edges = clipboard.edges.map((edge) => {
    const source = renamed.get(edge.source)!;
    const target = renamed.get(edge.target)!;
    return {
      id: edgeIdFor({ source, target, sourceHandle: edge.sourceHandle }),
      source,
      sourceHandle: edge.sourceHandle,
      target,
    };
  });
  return {
    graph: { nodes: [...graph.nodes, ...nodes], edges: [...graph.edges, ...edges] },
    pastedIds: nodes.map((node) => node.id),
  };
}

/** Removes steps and every connection touching them. */
export function removeNodes(graph: JourneyDraft, ids: Iterable<string>): JourneyDraft {
  const gone = new Set(ids);
  return {
    nodes: graph.nodes.filter((node) => !gone.has(node.id)),
    edges: graph.edges.filter((edge) => !gone.has(edge.source) && !gone.has(edge.target)),
  };
}

// ---------------------------------------------------------------- auto-layout

/** Top-to-bottom layered layout (dagre); returns top-left positions keyed by node id. */
export function autoLayoutPositions(graph: JourneyDraft): Map<string, { x: number; y: number }> {
  const input = layoutInput(graph);
  const layout = new dagre.graphlib.Graph({ multigraph: true });
  layout.setGraph({ rankdir: 'TB', nodesep: 40, ranksep: 70, marginx: 20, marginy: 20 });
  layout.setDefaultEdgeLabel(() => ({}));
  for (const node of input.nodes) layout.setNode(node.id, { width: node.width, height: node.height });
  for (const edge of input.edges) layout.setEdge(edge.source, edge.target, {}, edge.id);
  dagre.layout(layout);
  const positions = new Map<string, { x: number; y: number }>();
  for (const node of input.nodes) {
    const placed = layout.node(node.id);
    // dagre reports centres; the canvas positions nodes by their top-left corner.
    positions.set(node.id, {
      x: Math.round(placed.x - node.width / 2),
      y: Math.round(placed.y - node.height / 2),
    });
  }
  return positions;
}

export function applyPositions(
  graph: JourneyDraft,
  positions: Map<string, { x: number; y: number }>,
): JourneyDraft {
  return {
    nodes: graph.nodes.map((node) => {
      const position = positions.get(node.id);
      return position ? { ...node, position } : node;
    }),
    edges: graph.edges,
  };
}

// ---------------------------------------------------------------- benchmark fixture

/** In its own module so the bench's bare canvas page loads it without dagre. */
export { largeDraft } from './large-draft';
