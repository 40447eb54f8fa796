'use client';
import { Background, useStore, type ReactFlowState } from '@xyflow/react';
import { createContext, useContext, type ReactNode } from 'react';

/**
 * Level of detail: below this zoom a step's text is too small to read, so steps draw as simple
 * shapes (title and counts, no handles, no "+") and connections as plain lines. Small journeys
 * never get there: zoom-to-fit keeps them at the readable zoom (0.6, CanvasMap.tsx).
 */
export const SIMPLE_BELOW_ZOOM = 0.45;

const simpleSelector = (state: ReactFlowState) => state.transform[2] < SIMPLE_BELOW_ZOOM;

const SimpleDrawing = createContext(false);

/**
 * Reads the zoom once for the whole canvas (inside a ReactFlowProvider, around <ReactFlow>) and
 * hands steps and connections the level of detail through context: a store subscription per step
 * and per connection would run thousands of selectors on every drag frame.
 */
export function LevelOfDetail({ children }: { children: ReactNode }) {
  const simple = useStore(simpleSelector);
  return <SimpleDrawing.Provider value={simple}>{children}</SimpleDrawing.Provider>;
}

/** True while the canvas is zoomed out below SIMPLE_BELOW_ZOOM (from the nearest LevelOfDetail). */
export function useSimpleDrawing(): boolean {
  return useContext(SimpleDrawing);
}

/** The dot grid, left out when zoomed out (its dots would be a dense, costly pattern). */
export function CanvasBackground() {
  return useSimpleDrawing() ? null : <Background gap={24} />;
}
