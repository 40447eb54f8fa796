/** How the editor sets up React Flow: the initial view, constant props and screen-reader texts. */
import type { JourneyDraft } from '@/lib/journey';

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

// Props of <ReactFlow> that are objects or arrays live here, not inline: React Flow copies each
// changed prop into its store, and every store update runs every step's and connection's
// selector; an inline object is a new one on every render, and the editor renders on every drag frame.
export const DEFAULT_EDGE_OPTIONS = { type: 'journey', interactionWidth: 24 } as const;
export const PRO_OPTIONS = { hideAttribution: true } as const;
export const MULTI_SELECTION_KEYS = ['Shift', 'Meta', 'Control'];

export const ARROWS = new Set(['ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight']);

/** What React Flow tells screen readers about steps and connections, in the editor's words. */
export const ARIA_LABELS = {
  'node.a11yDescription.default':
    'Press Enter or Space to select this step. With a step selected, arrow keys move it, Delete removes it, and “Next steps” beside the canvas connects its outputs. Escape clears the selection.',
  'node.a11yDescription.keyboardDisabled': 'Press Enter or Space to select this step.',
  'node.a11yDescription.ariaLiveMessage': ({ direction }: { direction: string; x: number; y: number }) =>
    `Moved the step ${direction}.`,
  'edge.a11yDescription.default': 'Press Enter or Space to select this connection, then Delete to remove it.',
};
