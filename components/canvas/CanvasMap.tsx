'use client';
import {
  ControlButton,
  Controls,
  MiniMap,
  Panel,
  useNodesInitialized,
  useReactFlow,
  type ReactFlowInstance,
} from '@xyflow/react';
import { useEffect, useRef, useState } from 'react';
import type { StepFlowEdge, StepFlowNode } from './flow-model';
import styles from './canvas.module.css';

/** Up to this many steps the whole journey fits at a readable zoom, so the map starts folded. */
const SMALL_JOURNEY = 20;
/** Zoom-to-fit never shrinks a small journey below this: its text stays readable. */
const READABLE_ZOOM = 0.6;

/** fitView options that keep the steps clear of the map and small journeys readable. */
export function fitOptions(stepCount: number, mapShown: boolean) {
  return {
    // With the map shown, steps stay clear of its corner: above it, and left of it when a
    // small journey is taller than the view at the readable zoom.
    padding: {
      top: '24px',
      left: '24px',
      right: mapShown ? '176px' : '24px',
      bottom: mapShown ? '120px' : '48px',
    },
    maxZoom: 1,
    ...(stepCount <= SMALL_JOURNEY ? { minZoom: READABLE_ZOOM } : {}),
  } as const;
}

/**
 * Zoom to fit; a small journey that would need less than the readable zoom stays readable and
 * shows its beginning (the entry) at the top instead of its middle.
 */
export async function fitReadable(
  flow: ReactFlowInstance<StepFlowNode, StepFlowEdge>,
  mapShown: boolean,
  duration?: number,
): Promise<void> {
  const nodes = flow.getNodes();
  await flow.fitView({ ...fitOptions(nodes.length, mapShown), duration });
  if (nodes.length > SMALL_JOURNEY || flow.getZoom() > READABLE_ZOOM + 0.001) return;
  const top = Math.min(...nodes.map((node) => node.position.y));
  const { x, zoom } = flow.getViewport();
  await flow.setViewport({ x, y: 24 - top * zoom, zoom }, { duration });
}

/** Fits the view once, when the steps have been measured (a child of ReactFlow). */
export function InitialFit({ mapShown }: { mapShown: boolean }) {
  const flow = useReactFlow<StepFlowNode, StepFlowEdge>();
  const initialized = useNodesInitialized();
  const done = useRef(false);
  useEffect(() => {
    if (!initialized || done.current) return;
    done.current = true;
    void fitReadable(flow, mapShown);
  }, [flow, initialized, mapShown]);
  return null;
}

export function useMapShown(stepCount: number) {
  return useState(stepCount > SMALL_JOURNEY);
}

/** A small, collapsible overview map in the canvas corner. */
export function CanvasMap({ shown, onToggle }: { shown: boolean; onToggle: () => void }) {
  return (
    <>
      {shown && (
        <MiniMap
          pannable
          zoomable
          ariaLabel="Overview map"
          style={{ width: 140, height: 90 }}
          nodeColor="#c9d1dd"
          nodeStrokeColor="#667085"
          maskColor="rgba(240, 242, 245, 0.6)"
        />
      )}
      <Panel position="bottom-right" className={shown ? styles.mapToggleAbove : styles.mapToggle}>
        <button type="button" onClick={onToggle} aria-pressed={shown} data-testid="map-toggle">
          {shown ? 'Hide map' : 'Show map'}
        </button>
      </Panel>
    </>
  );
}

/**
 * Zoom in, zoom out and fit, where fit is the readable one ("Zoom to fit"): React Flow's own fit
 * button would shrink a small journey below readable text.
 */
export function CanvasControls({ mapShown }: { mapShown: boolean }) {
  const flow = useReactFlow<StepFlowNode, StepFlowEdge>();
  return (
    <Controls showInteractive={false} showFitView={false}>
      <ControlButton
        className="react-flow__controls-fitview"
        onClick={() => void fitReadable(flow, mapShown, 200)}
        title="Fit View"
        aria-label="Fit View"
      >
        <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 30" aria-hidden="true">
          <path d="M3.692 4.63c0-.53.4-.938.939-.938h5.215V0H4.708C2.13 0 0 2.054 0 4.63v5.216h3.692V4.631zM27.354 0h-5.2v3.692h5.17c.53 0 .984.4.984.939v5.215H32V4.631A4.624 4.624 0 0027.354 0zm.954 24.83c0 .532-.4.94-.939.94h-5.215v3.768h5.215c2.577 0 4.631-2.13 4.631-4.707v-5.139h-3.692v5.139zm-23.677.94c-.531 0-.939-.4-.939-.94v-5.138H0v5.139c0 2.577 2.13 4.707 4.708 4.707h5.138V25.77H4.631z" />
        </svg>
      </ControlButton>
    </Controls>
  );
}
