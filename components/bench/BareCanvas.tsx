'use client';
import '@xyflow/react/dist/style.css';
import { applyNodeChanges, Controls, ReactFlow, type Edge, type Node, type NodeChange } from '@xyflow/react';
import { useCallback, useState } from 'react';
import { largeDraft } from '@/lib/journeys/graph-edit';

/**
 * The ceiling `npm run bench:canvas` compares the editor with: React Flow with its default
 * nodes and edges, drawing the benchmark's graph (the same positions and connections, made here
 * from the step count) in a canvas of the editor's size, with the same zoom range and
 * `onlyRenderVisibleElements`. No data is read; nothing is saved.
 */
export function BareCanvas({ steps, width, height }: { steps: number; width: number; height: number }) {
  const [graph] = useState(() => {
    const draft = largeDraft(steps, 'benchmark');
    return {
      nodes: draft.nodes.map<Node>((node) => ({
        id: node.id,
        position: node.position,
        data: { label: node.title ?? node.id },
      })),
      edges: draft.edges.map<Edge>((edge) => ({ id: edge.id, source: edge.source, target: edge.target })),
    };
  });
  const [nodes, setNodes] = useState(graph.nodes);
  const onNodesChange = useCallback(
    (changes: NodeChange[]) => setNodes((current) => applyNodeChanges(changes, current)),
    [],
  );
  return (
    <div style={{ width, height, border: '1px solid #ccc' }} data-testid="bare-canvas">
      <ReactFlow
        nodes={nodes}
        edges={graph.edges}
        onNodesChange={onNodesChange}
        defaultViewport={{ x: 80, y: 60, zoom: 1 }}
        minZoom={0.02}
        onlyRenderVisibleElements
        proOptions={{ hideAttribution: true }}
        aria-label="Bare React Flow canvas"
      >
        <Controls showInteractive={false} />
      </ReactFlow>
    </div>
  );
}
