'use client';
import { applyEdgeChanges, applyNodeChanges, type EdgeChange, type NodeChange } from '@xyflow/react';
import { useCallback, useLayoutEffect, useRef, useState } from 'react';
import { getAnyStep, stepDefinitions, type JourneyDraft, type StepType } from '@/lib/journey';
import {
  applyPositions,
  autoLayoutPositions,
  copySelection,
  createHistory,
  edgeIdFor,
  newNodeId,
  pasteClipboard,
  pushHistory,
  redoHistory,
  undoHistory,
  type Clipboard,
  type History,
} from '@/lib/journeys/graph-edit';
import { fromFlow, measuredHandles, toFlow, type StepFlowEdge, type StepFlowNode } from '../flow-model';
import { initialFlow } from '../initial-view';

type Snapshot = { nodes: StepFlowNode[]; edges: StepFlowEdge[] };

export interface EditorState {
  nodes: StepFlowNode[];
  edges: StepFlowEdge[];
  /** Committed snapshots: every graph or config edit, drag ends included. */
  history: History<Snapshot>;
}

export function commit(state: EditorState, nodes = state.nodes, edges = state.edges): EditorState {
  return { nodes, edges, history: pushHistory(state.history, { nodes, edges }) };
}

function deselected(nodes: StepFlowNode[]): StepFlowNode[] {
  return nodes.map((n) => (n.selected ? { ...n, selected: false } : n));
}

/** A fresh node of a step type at a position, selected, with its default config. */
export function newStepNode(type: StepType, existingIds: string[], position: { x: number; y: number }) {
  const node: StepFlowNode = {
    id: newNodeId(type, existingIds),
    type: 'step',
    position: { x: Math.round(position.x), y: Math.round(position.y) },
    selected: true,
    data: {
      stepType: type,
      title: stepDefinitions[type].label,
      config: structuredClone(getAnyStep(type).defaultConfig),
    },
  };
  return node;
}

/**
 * The editor's graph: nodes, edges and undo history, with every edit the canvas, palette,
 * inspector and keyboard make. `confirmDelete` asks before removing steps customers are at.
 */
export function useEditorGraph({
  initialGraph,
  readOnly,
  confirmDelete,
  announce,
  fit,
}: {
  initialGraph: JourneyDraft;
  readOnly: boolean;
  confirmDelete: (nodeIds: string[]) => boolean;
  announce: (message: string) => void;
  /** Zoom to fit after an auto-layout (small journeys stay readable). */
  fit: () => void;
}) {
  const [state, setState] = useState<EditorState>(() => {
    const initial = initialFlow(initialGraph);
    return { ...initial, history: createHistory(initial) };
  });
  const stateRef = useRef(state);
  useLayoutEffect(() => {
    stateRef.current = state;
  }, [state]);
  const clipboard = useRef<Clipboard | null>(null);
  const update = useCallback((fn: (state: EditorState) => EditorState) => setState(fn), []);

  const onNodesChange = useCallback(
    (changes: NodeChange<StepFlowNode>[]) => {
      const allowed = readOnly
        ? changes.filter((change) => change.type === 'select' || change.type === 'dimensions')
        : changes;
      if (allowed.length)
        update((s) => ({ ...s, nodes: measuredHandles(applyNodeChanges(allowed, s.nodes), allowed) }));
    },
    [readOnly, update],
  );
  const onEdgesChange = useCallback(
    (changes: EdgeChange<StepFlowEdge>[]) => {
      const allowed = readOnly ? changes.filter((change) => change.type === 'select') : changes;
      if (allowed.length) update((s) => ({ ...s, edges: applyEdgeChanges(allowed, s.edges) }));
    },
    [readOnly, update],
  );
  const onDelete = useCallback(
    ({ nodes, edges }: { nodes: StepFlowNode[]; edges: StepFlowEdge[] }) => {
      update((s) => commit(s));
      if (nodes.length) announce(`Deleted ${nodes.length} ${nodes.length === 1 ? 'step' : 'steps'}`);
      else if (edges.length)
        announce(`Deleted ${edges.length === 1 ? 'the connection' : `${edges.length} connections`}`);
    },
    [announce, update],
  );
  const onNodeDragStop = useCallback(() => update((s) => commit(s)), [update]);

  const deleteNodes = useCallback(
    (ids: string[]) => {
      if (readOnly || !confirmDelete(ids)) return;
      const gone = new Set(ids);
      update((s) =>
        commit(
          s,
          s.nodes.filter((node) => !gone.has(node.id)),
          s.edges.filter((edge) => !gone.has(edge.source) && !gone.has(edge.target)),
        ),
      );
      announce(`Deleted ${ids.length} ${ids.length === 1 ? 'step' : 'steps'}`);
    },
    [announce, confirmDelete, readOnly, update],
  );

  const deleteEdges = useCallback(
    (ids: string[]) => {
      if (readOnly || ids.length === 0) return;
      const gone = new Set(ids);
      update((s) =>
        commit(
          s,
          s.nodes,
          s.edges.filter((edge) => !gone.has(edge.id)),
        ),
      );
      announce(`Deleted ${ids.length === 1 ? 'the connection' : `${ids.length} connections`}`);
    },
    [announce, readOnly, update],
  );

  /** Adds a step; with `connectFrom` it is also connected below that output. Returns the new id. */
  const addNode = useCallback(
    (
      type: StepType,
      position: { x: number; y: number },
      connectFrom?: { source: string; sourceHandle: string },
    ): string | undefined => {
      if (readOnly) return undefined;
      const node = newStepNode(
        type,
        stateRef.current.nodes.map((n) => n.id),
        position,
      );
      update((s) => {
        const edges = connectFrom
          ? [
              ...s.edges.filter(
                (e) => !(e.source === connectFrom.source && e.sourceHandle === connectFrom.sourceHandle),
              ),
              { id: edgeIdFor({ ...connectFrom, target: node.id }), ...connectFrom, target: node.id },
            ]
          : s.edges;
        return commit(s, [...deselected(s.nodes), node], edges);
      });
      announce(`Added ${stepDefinitions[type].label} step${connectFrom ? ', connected' : ''}`);
      return node.id;
    },
    [announce, readOnly, update],
  );

  const changeNode = useCallback(
    (nodeId: string, patch: { title?: string; config?: unknown }) => {
      if (readOnly) return;
      update((s) =>
        commit(
          s,
          s.nodes.map((node) => (node.id === nodeId ? { ...node, data: { ...node.data, ...patch } } : node)),
        ),
      );
    },
    [readOnly, update],
  );

  const moveNodes = useCallback(
    (ids: string[], dx: number, dy: number) => {
      if (readOnly || ids.length === 0) return;
      const moving = new Set(ids);
      update((s) =>
        commit(
          s,
          s.nodes.map((node) =>
            moving.has(node.id)
              ? { ...node, position: { x: node.position.x + dx, y: node.position.y + dy } }
              : node,
          ),
        ),
      );
    },
    [readOnly, update],
  );

  const travel = useCallback(
    (step: (history: History<Snapshot>) => History<Snapshot>) =>
      update((s) => {
        const history = step(s.history);
        return history === s.history
          ? s
          : { history, nodes: history.present.nodes, edges: history.present.edges };
      }),
    [update],
  );
  const undo = useCallback(() => travel(undoHistory), [travel]);
  const redo = useCallback(() => travel(redoHistory), [travel]);

  const copy = useCallback((): number => {
    const { nodes, edges } = stateRef.current;
    const selected = nodes.filter((node) => node.selected).map((node) => node.id);
    if (selected.length > 0) clipboard.current = copySelection(fromFlow(nodes, edges), selected);
    return selected.length;
  }, []);

  const paste = useCallback(() => {
    const clip = clipboard.current;
    if (readOnly || !clip || clip.nodes.length === 0) return;
    update((s) => {
      const { graph, pastedIds } = pasteClipboard(fromFlow(s.nodes, s.edges), clip);
      const fresh = new Set(pastedIds);
      const pasted = toFlow(graph);
      const byId = new Map(s.nodes.map((node) => [node.id, node]));
      // Keep the existing node objects (memoised components stay put); select only the pasted ones.
      const nodes = pasted.nodes.map((node) => {
        if (fresh.has(node.id)) return { ...node, selected: true };
        const old = byId.get(node.id)!;
        return old.selected ? { ...old, selected: false } : old;
      });
      const edges = [...s.edges, ...pasted.edges.slice(s.edges.length)];
      return commit(s, nodes, edges);
    });
  }, [readOnly, update]);

  const autoLayout = useCallback(() => {
    if (readOnly) return;
    update((s) => {
      const positions = autoLayoutPositions(fromFlow(s.nodes, s.edges));
      const laidOut = applyPositions(fromFlow(s.nodes, s.edges), positions);
      const byId = new Map(laidOut.nodes.map((node) => [node.id, node.position]));
      return commit(
        s,
        s.nodes.map((node) => ({ ...node, position: byId.get(node.id) ?? node.position })),
      );
    });
    window.requestAnimationFrame(fit);
  }, [fit, readOnly, update]);

  /** Selects one step (or none) without an undo entry. */
  const selectOnly = useCallback(
    (nodeId: string | null) =>
      update((s) => ({
        ...s,
        nodes: s.nodes.map((n) =>
          n.id === nodeId
            ? n.selected
              ? n
              : { ...n, selected: true }
            : n.selected
              ? { ...n, selected: false }
              : n,
        ),
        edges: s.edges.map((e) => (e.selected ? { ...e, selected: false } : e)),
      })),
    [update],
  );

  return {
    state,
    stateRef,
    update,
    onNodesChange,
    onEdgesChange,
    onDelete,
    onNodeDragStop,
    deleteNodes,
    deleteEdges,
    addNode,
    changeNode,
    moveNodes,
    undo,
    redo,
    copy,
    paste,
    autoLayout,
    selectOnly,
  };
}

export type EditorGraph = ReturnType<typeof useEditorGraph>;
