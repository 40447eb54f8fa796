import type { Edge, Node } from '@xyflow/react';
import type { JourneyDraft, JourneyDraftNode, JourneyEdge, StepType } from '@/lib/journey';

/** Node data stays plain JSON (no functions, no class instances): it is what gets saved. */
export type StepNodeData = {
  stepType: StepType;
  title?: string;
  config: unknown;
};
export type StepFlowNode = Node<StepNodeData, 'step'>;
export type StepFlowEdge = Edge;

export function toFlowNode(node: JourneyDraftNode): StepFlowNode {
  return {
    id: node.id,
    type: 'step',
    position: node.position,
    data: { stepType: node.type, title: node.title, config: node.config },
  };
}

export function toFlowEdge(edge: JourneyEdge): StepFlowEdge {
  return {
    id: edge.id,
    source: edge.source,
    sourceHandle: edge.sourceHandle,
    target: edge.target,
    label: undefined,
  };
}

export function toFlow(graph: JourneyDraft): { nodes: StepFlowNode[]; edges: StepFlowEdge[] } {
  return { nodes: graph.nodes.map(toFlowNode), edges: graph.edges.map(toFlowEdge) };
}

export function fromFlow(nodes: readonly StepFlowNode[], edges: readonly StepFlowEdge[]): JourneyDraft {
  return {
    nodes: nodes.map((node) => ({
      id: node.id,
      type: node.data.stepType,
      ...(node.data.title ? { title: node.data.title } : {}),
      position: { x: Math.round(node.position.x), y: Math.round(node.position.y) },
      config: node.data.config,
    })),
    edges: edges.map((edge) => ({
      id: edge.id,
      source: edge.source,
      sourceHandle: edge.sourceHandle ?? '',
      target: edge.target,
    })),
  };
}
