'use client';
import '@xyflow/react/dist/style.css';
import {
  ReactFlow,
  ReactFlowProvider,
  applyNodeChanges,
  type NodeChange,
  type NodeMouseHandler,
  type NodeTypes,
} from '@xyflow/react';
import { useCallback, useMemo, useState } from 'react';
import { CanvasBackground } from './detail';
import { edgeTypes } from './JourneyEdge';
import { CanvasControls, CanvasMap, InitialFit, useMapShown } from './CanvasMap';
import type { JourneyDraft, SummaryContext } from '@/lib/journey';
import type { AnnotationStore } from './annotations';
import { CanvasContext } from './context';
import { toFlow, type StepFlowEdge, type StepFlowNode } from './flow-model';
import { StepNode } from './StepNode';
import styles from './canvas.module.css';

const nodeTypes: NodeTypes = { step: StepNode };

/** A published version on the canvas: nothing can be moved or connected; clicking a step selects it. */
export function ReadOnlyCanvas({
  graph,
  annotations,
  summary,
  onNodeClick,
  highlightEdges,
}: {
  graph: JourneyDraft;
  annotations: AnnotationStore;
  summary: SummaryContext;
  onNodeClick?: (nodeId: string) => void;
  /** Edge ids to emphasise, e.g. a customer's path. */
  highlightEdges?: ReadonlySet<string>;
}) {
  const flow = useMemo(() => toFlow(graph), [graph]);
  // The canvas keeps the measured sizes of the steps: the overview map draws only measured steps.
  const [measured, setMeasured] = useState({ graph, nodes: flow.nodes });
  const nodes = measured.graph === graph ? measured.nodes : flow.nodes;
  const onNodesChange = useCallback(
    (changes: NodeChange<StepFlowNode>[]) => {
      const sizes = changes.filter((change) => change.type === 'dimensions');
      if (sizes.length === 0) return;
      setMeasured((current) => ({
        graph,
        nodes: applyNodeChanges(sizes, current.graph === graph ? current.nodes : flow.nodes),
      }));
    },
    [graph, flow.nodes],
  );
  const [mapShown, setMapShown] = useMapShown(graph.nodes.length);
  const edges = useMemo<StepFlowEdge[]>(
    () =>
      flow.edges.map((edge) =>
        highlightEdges?.has(edge.id)
          ? { ...edge, animated: true, style: { stroke: '#f79009', strokeWidth: 3 } }
          : edge,
      ),
    [flow.edges, highlightEdges],
  );
  const context = useMemo(() => ({ annotations, summary }), [annotations, summary]);
  const handleClick: NodeMouseHandler<StepFlowNode> = (_event, node) => onNodeClick?.(node.id);
  return (
    <CanvasContext.Provider value={context}>
      <ReactFlowProvider>
        <div className={styles.canvasWrap} style={{ height: '100%' }} data-testid="journey-canvas">
          <ReactFlow<StepFlowNode, StepFlowEdge>
            nodes={nodes}
            edges={edges}
            onNodesChange={onNodesChange}
            nodeTypes={nodeTypes}
            nodesDraggable={false}
            nodesConnectable={false}
            elementsSelectable={false}
            deleteKeyCode={null}
            onNodeClick={handleClick}
            onlyRenderVisibleElements
            minZoom={0.02}
            edgeTypes={edgeTypes}
            defaultEdgeOptions={{ type: 'journey' }}
            proOptions={{ hideAttribution: true }}
            aria-label="Journey canvas (read only)"
          >
            <CanvasBackground />
            <CanvasMap shown={mapShown} onToggle={() => setMapShown((shown) => !shown)} />
            <InitialFit mapShown={mapShown} />
            <CanvasControls mapShown={mapShown} />
          </ReactFlow>
        </div>
      </ReactFlowProvider>
    </CanvasContext.Provider>
  );
}
