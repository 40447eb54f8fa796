'use client';
import { MiniMap, Panel, useNodesInitialized, useReactFlow, type ReactFlowInstance } from '@xyflow/react';
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
