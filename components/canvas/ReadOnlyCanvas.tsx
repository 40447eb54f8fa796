'use client';
import '@xyflow/react/dist/style.css';
import { ReactFlow, ReactFlowProvider, type NodeMouseHandler, type NodeTypes } from '@xyflow/react';
import { useCallback, useMemo } from 'react';
import { CanvasBackground, LevelOfDetail } from './detail';
import { edgeTypes } from './JourneyEdge';
import { CanvasControls, CanvasMap, InitialFit, useMapShown } from './CanvasMap';
import type { JourneyDraft, SummaryContext } from '@/lib/journey';
import type { AnnotationStore } from './annotations';
import { CanvasContext } from './context';
import { toFlow, type StepFlowEdge, type StepFlowNode } from './flow-model';
import { StepNode } from './StepNode';
import styles from './canvas.module.css';

const nodeTypes: NodeTypes = { step: StepNode };
// Not inline: a new object per render would be copied into React Flow's store each time.
const DEFAULT_EDGE_OPTIONS = { type: 'journey' } as const;
const PRO_OPTIONS = { hideAttribution: true } as const;

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
  const { nodes } = flow;
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
              nodesDraggable={false}
              nodesConnectable={false}
              elementsSelectable={false}
              deleteKeyCode={null}
              onNodeClick={handleClick}
              onlyRenderVisibleElements
              minZoom={0.02}
              edgeTypes={edgeTypes}
              defaultEdgeOptions={DEFAULT_EDGE_OPTIONS}
              proOptions={PRO_OPTIONS}
              aria-label="Journey canvas (read only)"
            >
              <CanvasBackground />
              <CanvasMap shown={mapShown} onToggle={toggleMap} nodes={nodes} />
              <InitialFit mapShown={mapShown} />
              <CanvasControls mapShown={mapShown} />
            </ReactFlow>
          </LevelOfDetail>
        </div>
      </ReactFlowProvider>
    </CanvasContext.Provider>
  );
}
