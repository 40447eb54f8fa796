'use client';
import type { ReactFlowInstance } from '@xyflow/react';
import { useCallback } from 'react';
import type { StepFlowEdge, StepFlowNode } from '../flow-model';
import type { EditorGraph } from './useEditorGraph';
import type { Notice } from './useNotices';

/**
 * Commands on the selection: copy it (with a notice), delete it through React Flow (so the
 * live-customers confirmation and the undo history apply, as with React Flow's own key), and
 * focus one step from elsewhere (the validation list), selected and centred.
 */
export function useSelectionCommands({
  flow,
  graph,
  notify,
}: {
  flow: ReactFlowInstance<StepFlowNode, StepFlowEdge>;
  graph: EditorGraph;
  notify: (notice: Omit<Notice, 'serial'>) => void;
}) {
  const { copy: copySteps, selectOnly } = graph;
  const copy = useCallback(() => {
    const count = copySteps();
    if (count > 0)
      notify({
        topic: 'clipboard',
        kind: 'info',
        message: `Copied ${count} ${count === 1 ? 'step' : 'steps'}`,
      });
  }, [copySteps, notify]);
  const removeSelected = useCallback(() => {
    const nodes = flow.getNodes().filter((node) => node.selected);
    const edges = flow.getEdges().filter((edge) => edge.selected);
    if (nodes.length === 0 && edges.length === 0) return false;
    // Asks onBeforeDelete (customers at the step) and reports through onDelete, as React Flow's own key did.
    void flow.deleteElements({ nodes, edges });
    return true;
  }, [flow]);
  const focusNode = useCallback(
    (nodeId: string) => {
      const node = flow.getNode(nodeId);
      if (!node) return;
      selectOnly(nodeId);
      const width = node.measured?.width ?? 240;
      const height = node.measured?.height ?? 88;
      void flow.setCenter(node.position.x + width / 2, node.position.y + height / 2, {
        zoom: 1.1,
        duration: 300,
      });
    },
    [flow, selectOnly],
  );
  return { copy, removeSelected, focusNode };
}
