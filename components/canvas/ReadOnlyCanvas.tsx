'use client';
import '@xyflow/react/dist/style.css';
import {
  Background,
  Controls,
  MiniMap,
  ReactFlow,
  ReactFlowProvider,
  type NodeMouseHandler,
  type NodeTypes,
} from '@xyflow/react';
import { useMemo } from 'react';
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
            nodes={flow.nodes}
            edges={edges}
            nodeTypes={nodeTypes}
            nodesDraggable={false}
            nodesConnectable={false}
            elementsSelectable={false}
            deleteKeyCode={null}
            onNodeClick={handleClick}
            onlyRenderVisibleElements
            fitView
            fitViewOptions={{ padding: 0.1, maxZoom: 1 }}
            minZoom={0.05}
            defaultEdgeOptions={{ type: 'smoothstep' }}
            proOptions={{ hideAttribution: true }}
            aria-label="Journey canvas (read only)"
          >
            <Background gap={24} />
            <MiniMap pannable zoomable ariaLabel="Mini map" />
            <Controls showInteractive={false} />
          </ReactFlow>
        </div>
      </ReactFlowProvider>
    </CanvasContext.Provider>
  );
}
