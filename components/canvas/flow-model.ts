import { Position, type Edge, type Node, type NodeChange, type NodeHandle } from '@xyflow/react';
import {
  nodeSize,
  outputsOf,
  type JourneyDraft,
  type JourneyDraftNode,
  type JourneyEdge,
  type StepType,
} from '@/lib/journey';

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

/** A handle's size on screen (canvas.module.css, .sourceHandle and .targetHandle). */
const HANDLE = 16;

/**
 * A step with the size and handle places it will have on the canvas, before React Flow has
 * measured it. React Flow draws every unmeasured step once to measure it, even with
 * `onlyRenderVisibleElements`; with these it leaves out the steps outside the view from the first
 * frame on, and draws the connections of the steps it has not measured yet. The figures follow
 * StepNode's layout at full detail (measured in Chromium: the target handle centred on the top
 * border, the outputs spread evenly along the bottom, inside the 5 px left and 1 px right border).
 * Once React Flow has measured a step, its own measurement counts (`withoutPresetHandles`).
 */
export function withInitialSize(node: StepFlowNode): StepFlowNode {
  const { width, height } = nodeSize(node.data.stepType, node.data.config);
  const outputs = outputsOf(node.data.stepType, node.data.config);
  const handles: NodeHandle[] = outputs.map((output, i) => ({
    id: output.id,
    type: 'source',
    position: Position.Bottom,
    x: 5 + ((i + 0.5) / outputs.length) * (width - 6) - HANDLE / 2,
    y: height - 2.25,
    width: HANDLE,
    height: HANDLE,
  }));
  if (node.data.stepType !== 'entry')
    handles.push({
      id: null,
      type: 'target',
      position: Position.Top,
      x: width / 2 - 6,
      y: -7,
      width: HANDLE,
      height: HANDLE,
    });
  return { ...node, initialWidth: width, initialHeight: height, handles };
}

/**
 * After React Flow measured a step: without the preset handles, so its measured ones are kept
 * (React Flow takes a node's `handles` over what it measured whenever the node object changes).
 */
export function withoutPresetHandles(node: StepFlowNode): StepFlowNode {
  return node.handles ? { ...node, handles: undefined } : node;
}

/** Steps React Flow has just measured drop their preset handles (`withInitialSize`). */
export function measuredHandles(nodes: StepFlowNode[], changes: NodeChange<StepFlowNode>[]): StepFlowNode[] {
  const measured = new Set<string>();
  for (const change of changes) if (change.type === 'dimensions') measured.add(change.id);
  if (measured.size === 0) return nodes;
  return nodes.map((node) => (node.handles && measured.has(node.id) ? withoutPresetHandles(node) : node));
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
