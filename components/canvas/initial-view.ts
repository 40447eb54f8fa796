/** How a journey first appears on a canvas (the editor's and the read-only one): the view and the steps' preset sizes. */
import type { JourneyDraft } from '@/lib/journey';
import { toFlow, withInitialSize, type StepFlowEdge, type StepFlowNode } from './flow-model';

/** Steps above which a journey opens at its entry step instead of fitting the whole graph. */
const LARGE_GRAPH = 150;

/**
 * A journey that opens at its entry step: most of its steps start outside the view, and they get
 * their size before they are drawn (flow-model.ts `withInitialSize`) so React Flow need not draw
 * them all once to measure them. A small journey is fitted once all its steps are measured.
 */
export function isLargeJourney(graph: JourneyDraft): boolean {
  return graph.nodes.length > LARGE_GRAPH;
}

/** A big journey opens at its entry step (drawing a thousand steps at once is slow); a small one fits the view. */
export function initialViewFor(graph: JourneyDraft) {
  const start = graph.nodes.find((node) => node.type === 'entry') ?? graph.nodes[0];
  if (!isLargeJourney(graph) || !start) {
    return { fitOnInit: true } as const;
  }
  return {
    fitOnInit: false,
    defaultViewport: { x: -start.position.x + 80, y: -start.position.y + 60, zoom: 1 },
  } as const;
}

/** The journey's steps and connections for React Flow; a big journey's steps with their preset size. */
export function initialFlow(graph: JourneyDraft): { nodes: StepFlowNode[]; edges: StepFlowEdge[] } {
  const flow = toFlow(graph);
  return isLargeJourney(graph) ? { ...flow, nodes: flow.nodes.map(withInitialSize) } : flow;
}
