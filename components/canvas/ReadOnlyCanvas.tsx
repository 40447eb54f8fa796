'use client';
import '@xyflow/react/dist/style.css';
import {
  applyNodeChanges,
  ReactFlow,
  ReactFlowProvider,
  type NodeChange,
  type NodeMouseHandler,
  type NodeTypes,
} from '@xyflow/react';
import { useCallback, useMemo, useState } from 'react';
import { CanvasBackground, LevelOfDetail } from './detail';
import { edgeTypes } from './JourneyEdge';
import { CanvasControls, CanvasMap, InitialFit, useMapShown } from './CanvasMap';
import type { JourneyDraft, SummaryContext } from '@/lib/journey';
import type { AnnotationStore } from './annotations';
import { CanvasContext } from './context';
import { measuredHandles, type StepFlowEdge, type StepFlowNode } from './flow-model';
import { initialFlow, initialViewFor } from './initial-view';
import { StepNode } from './StepNode';
import styles from './canvas.module.css';

const nodeTypes: NodeTypes = { step: StepNode };
// Not inline: a new object per render would be copied into React Flow's store each time.
const DEFAULT_EDGE_OPTIONS = { type: 'journey' } as const;
const PRO_OPTIONS = { hideAttribution: true } as const;

/**
 * The steps as React Flow draws them, with the sizes it measured: a big journey's steps start with
 * their preset size and handles, and once measured their own handles count, as in the editor (a
 * customer's path with its reasons, or a send step's delivery-policy counts, make a step taller).
 */
function useMeasuredNodes(initial: StepFlowNode[]) {
  const [nodes, setNodes] = useState(initial);
  const [shown, setShown] = useState(initial);
  if (shown !== initial) {
    setShown(initial);
    setNodes(initial);
  }
  const onNodesChange = useCallback((changes: NodeChange<StepFlowNode>[]) => {
    const measured = changes.filter((change) => change.type === 'dimensions');
    if (measured.length)
      setNodes((current) => measuredHandles(applyNodeChanges(measured, current), measured));
  }, []);
  return { nodes, onNodesChange };
}

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
  const flow = useMemo(() => initialFlow(graph), [graph]);
  const { nodes, onNodesChange } = useMeasuredNodes(flow.nodes);
  // Like the editor: a big journey opens at its entry step, a small one fits the view.
  const { fitOnInit, ...initialView } = useMemo(() => initialViewFor(graph), [graph]);
  const [mapShown, setMapShown] = useMapShown(graph.nodes.length);
  const toggleMap = useCallback(() => setMapShown((shown) => !shown), [setMapShown]);
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
          <LevelOfDetail>
            <ReactFlow<StepFlowNode, StepFlowEdge>
              nodes={nodes}
              edges={edges}
              nodeTypes={nodeTypes}
              onNodesChange={onNodesChange}
              nodesDraggable={false}
              nodesConnectable={false}
              elementsSelectable={false}
              deleteKeyCode={null}
              onNodeClick={handleClick}
              onlyRenderVisibleElements
              {...initialView}
              minZoom={0.02}
              edgeTypes={edgeTypes}
              defaultEdgeOptions={DEFAULT_EDGE_OPTIONS}
              proOptions={PRO_OPTIONS}
              aria-label="Journey canvas (read only)"
            >
              <CanvasBackground />
              <CanvasMap shown={mapShown} onToggle={toggleMap} nodes={flow.nodes} />
              {fitOnInit && <InitialFit mapShown={mapShown} />}
              <CanvasControls mapShown={mapShown} />
            </ReactFlow>
          </LevelOfDetail>
        </div>
      </ReactFlowProvider>
    </CanvasContext.Provider>
  );
}
