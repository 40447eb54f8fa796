/** How the editor sets up React Flow: constant props and screen-reader texts (the initial view: ../initial-view.ts). */

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
