'use client';
import { Background, useStore, type ReactFlowState } from '@xyflow/react';

/**
 * Level of detail: below this zoom a step's text is too small to read, so steps draw as simple
 * shapes (title and counts, no handles, no "+") and connections as plain lines. Small journeys
 * never get there: zoom-to-fit keeps them at the readable zoom (0.6, CanvasMap.tsx).
 */
export const SIMPLE_BELOW_ZOOM = 0.45;

const simpleSelector = (state: ReactFlowState) => state.transform[2] < SIMPLE_BELOW_ZOOM;

/** True while the canvas is zoomed out below SIMPLE_BELOW_ZOOM; re-renders only when that flips. */
export function useSimpleDrawing(): boolean {
  return useStore(simpleSelector);
}

/** The dot grid, left out when zoomed out (its dots would be a dense, costly pattern). */
export function CanvasBackground() {
  return useSimpleDrawing() ? null : <Background gap={24} />;
}
