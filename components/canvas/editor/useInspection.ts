'use client';
import { useCallback, useEffect, useMemo, type RefObject } from 'react';
import { stepDefinitions } from '@/lib/journey';
import type { StepFlowEdge, StepFlowNode } from '../flow-model';

/** A step's title as the editor shows it: its own title, else its type's label. */
export function stepTitle(node: Pick<StepFlowNode, 'data'>): string {
  return node.data.title?.trim() || stepDefinitions[node.data.stepType].label;
}

/**
 * What is selected and what the side panel shows for it: the selected steps and connections, the
 * one step inspected (its input stays stable while the step is dragged), every step by title,
 * where the inspected step's outputs lead, and the "Next steps" panel's actions on it.
 */
export function useInspection({
  nodes,
  edges,
  committed,
  connect,
  openPickerAfter,
}: {
  nodes: StepFlowNode[];
  edges: StepFlowEdge[];
  /** The last committed graph (not the one being dragged). */
  committed: { nodes: StepFlowNode[]; edges: StepFlowEdge[] };
  connect: (
    wanted: { source: string; sourceHandle: string; target: string | null },
    replace?: boolean,
  ) => boolean;
  openPickerAfter: (source: string, sourceHandle: string) => void;
}) {
  const selectedNodes = useMemo(() => nodes.filter((node) => node.selected), [nodes]);
  const selectedEdges = useMemo(() => edges.filter((edge) => edge.selected), [edges]);
  const inspectedNode = selectedNodes.length === 1 ? selectedNodes[0] : undefined;
  // Dragging changes a node's position, not its data: keep the inspector's input stable meanwhile.
  const inspectedId = inspectedNode?.id;
  const inspectedData = inspectedNode?.data;
  const inspected = useMemo(
    () => (inspectedId && inspectedData ? { id: inspectedId, data: inspectedData } : undefined),
    [inspectedId, inspectedData],
  );
  const stepRefs = useMemo(
    () =>
      committed.nodes.map((node) => ({
        id: node.id,
        type: node.data.stepType,
        title: stepTitle(node),
      })),
    [committed.nodes],
  );
  const inspectedTargets = useMemo(() => {
    const targets: Record<string, string> = {};
    for (const edge of committed.edges)
      if (edge.source === inspectedId) targets[edge.sourceHandle ?? ''] = edge.target;
    return targets;
  }, [committed.edges, inspectedId]);

  // Stable props for the "Next steps" panel: it lists every step, so it must not re-render while a step is dragged.
  const inspectedRef = useMemo(
    () =>
      inspectedId && inspectedData
        ? {
            id: inspectedId,
            type: inspectedData.stepType,
            title: stepTitle({ data: inspectedData }),
            config: inspectedData.config,
          }
        : undefined,
    [inspectedId, inspectedData],
  );
  const connectInspected = useCallback(
    (sourceHandle: string, target: string | null) => {
      if (inspectedId) connect({ source: inspectedId, sourceHandle, target }, true);
    },
    [connect, inspectedId],
  );
  const addAfterInspected = useCallback(
    (sourceHandle: string) => {
      if (inspectedId) openPickerAfter(inspectedId, sourceHandle);
    },
    [openPickerAfter, inspectedId],
  );
  return {
    selectedNodes,
    selectedEdges,
    inspected,
    stepRefs,
    inspectedTargets,
    inspectedRef,
    connectInspected,
    addAfterInspected,
  };
}

/**
 * Selection is announced with what can be done with it next. Derived from the editor's own
 * state: React Flow's onSelectionChange would scan every step and connection on every drag frame.
 * A selection that an add or delete caused (`selectionFollowsEditRef`, set within the last second)
 * is not announced over that edit's own announcement.
 */
export function useSelectionAnnouncement({
  selectedNodes,
  selectedEdges,
  stateRef,
  selectionFollowsEditRef,
  readOnly,
  announce,
}: {
  selectedNodes: StepFlowNode[];
  selectedEdges: StepFlowEdge[];
  stateRef: RefObject<{ nodes: StepFlowNode[]; edges: StepFlowEdge[] }>;
  selectionFollowsEditRef: RefObject<number>;
  readOnly: boolean;
  announce: (message: string) => void;
}) {
  const selectionKey = [
    ...selectedNodes.map((node) => node.id),
    '|',
    ...selectedEdges.map((edge) => edge.id),
  ].join(' ');
  useEffect(() => {
    // Runs when the selection changes (not on every frame), reading it from the editor's state.
    const nodes = stateRef.current.nodes.filter((node) => node.selected);
    const edges = stateRef.current.edges.filter((edge) => edge.selected);
    if (Date.now() - selectionFollowsEditRef.current < 1000) {
      selectionFollowsEditRef.current = 0;
      return;
    }
    if (nodes.length === 1 && edges.length === 0)
      announce(
        `Selected “${stepTitle(nodes[0])}”.${readOnly ? '' : ' Arrow keys move it, Delete removes it.'}`,
      );
    else if (nodes.length === 0 && edges.length === 1)
      announce(`Selected a connection.${readOnly ? '' : ' Press Delete to remove it.'}`);
    else if (nodes.length + edges.length > 1)
      announce(
        `Selected ${nodes.length} ${nodes.length === 1 ? 'step' : 'steps'} and ${edges.length} ${edges.length === 1 ? 'connection' : 'connections'}.`,
      );
    // selectionKey: the selected ids, so this runs once per change of the selection.
  }, [selectionKey, readOnly, stateRef, selectionFollowsEditRef, announce]);
}
