'use client';
import {
  ControlButton,
  Controls,
  getViewportForBounds,
  Panel,
  useNodesInitialized,
  useReactFlow,
  useStore,
  useStoreApi,
  type ReactFlowInstance,
  type ReactFlowState,
} from '@xyflow/react';
import { XYMinimap, type XYMinimapInstance } from '@xyflow/system';
import { memo, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { nodeSize } from '@/lib/journey';
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
 * shows its beginning (the entry) at the top instead of its middle. Fits the steps by their
 * measured size, else the size they were given before React Flow drew them (flow-model.ts
 * `withInitialSize`): in a big journey the steps outside the view are never drawn, so never
 * measured, and React Flow's own fitView would wait for them to be.
 */
async function fitReadable(
  flow: ReactFlowInstance<StepFlowNode, StepFlowEdge>,
  store: { getState: () => Pick<ReactFlowState, 'width' | 'height' | 'minZoom'> },
  mapShown: boolean,
  duration?: number,
): Promise<void> {
  const nodes = flow.getNodes();
  if (nodes.length === 0) return;
  const { width, height, minZoom } = store.getState();
  const options = fitOptions(nodes.length, mapShown);
  const fitted = getViewportForBounds(
    flow.getNodesBounds(nodes),
    width,
    height,
    options.minZoom ?? minZoom,
    options.maxZoom,
    options.padding,
  );
  await flow.setViewport(fitted, { duration });
  if (nodes.length > SMALL_JOURNEY || fitted.zoom > READABLE_ZOOM + 0.001) return;
  const top = Math.min(...nodes.map((node) => node.position.y));
  await flow.setViewport({ x: fitted.x, y: 24 - top * fitted.zoom, zoom: fitted.zoom }, { duration });
}

/** `fitReadable` for this canvas (inside a ReactFlowProvider): `(mapShown, duration?) => Promise`. */
export function useFitReadable() {
  const flow = useReactFlow<StepFlowNode, StepFlowEdge>();
  const store = useStoreApi<StepFlowNode, StepFlowEdge>();
  return useCallback(
    (mapShown: boolean, duration?: number) => fitReadable(flow, store, mapShown, duration),
    [flow, store],
  );
}

/** Fits the view once, when the steps have been measured (a child of ReactFlow). */
export function InitialFit({ mapShown }: { mapShown: boolean }) {
  const fit = useFitReadable();
  const initialized = useNodesInitialized();
  const done = useRef(false);
  useEffect(() => {
    if (!initialized || done.current) return;
    done.current = true;
    void fit(mapShown);
  }, [fit, initialized, mapShown]);
  return null;
}

export function useMapShown(stepCount: number) {
  return useState(stepCount > SMALL_JOURNEY);
}

const MAP_WIDTH = 140;
const MAP_HEIGHT = 90;
const MAP_OFFSET = 5;

type Rect = { x: number; y: number; width: number; height: number };

const viewSelector = (state: ReactFlowState) => ({
  tx: state.transform[0],
  ty: state.transform[1],
  zoom: state.transform[2],
  width: state.width,
  height: state.height,
  panZoom: state.panZoom,
  translateExtent: state.translateExtent,
});
const sameView = (a: ReturnType<typeof viewSelector>, b: ReturnType<typeof viewSelector>) =>
  a.tx === b.tx &&
  a.ty === b.ty &&
  a.zoom === b.zoom &&
  a.width === b.width &&
  a.height === b.height &&
  a.panZoom === b.panZoom &&
  a.translateExtent === b.translateExtent;

/**
 * The overview map: every step as a rectangle (all steps, drawn or not, at their saved size) and
 * the view as a window; drag or scroll on it to move the view. Unlike React Flow's MiniMap it
 * reads the steps from `nodes` (the committed graph), not from the canvas store, so dragging a
 * step costs it nothing per frame: it redraws when an edit is committed or the view moves.
 */
const JourneyMap = memo(function JourneyMap({ nodes }: { nodes: readonly StepFlowNode[] }) {
  const store = useStoreApi<StepFlowNode, StepFlowEdge>();
  const view = useStore(viewSelector, sameView);
  const svg = useRef<SVGSVGElement>(null);
  const instance = useRef<XYMinimapInstance | null>(null);
  const viewScaleRef = useRef(0);

  const { path, bounds } = useMemo(() => mapShapes(nodes), [nodes]);

  const viewBB: Rect = {
    x: -view.tx / view.zoom,
    y: -view.ty / view.zoom,
    width: view.width / view.zoom,
    height: view.height / view.zoom,
  };
  const box = bounds ? union(bounds, viewBB) : viewBB;
  const viewScale = Math.max(box.width / MAP_WIDTH, box.height / MAP_HEIGHT);
  useLayoutEffect(() => {
    viewScaleRef.current = viewScale;
  }, [viewScale]);
  const viewWidth = viewScale * MAP_WIDTH;
  const viewHeight = viewScale * MAP_HEIGHT;
  const offset = MAP_OFFSET * viewScale;
  const x = box.x - (viewWidth - box.width) / 2 - offset;
  const y = box.y - (viewHeight - box.height) / 2 - offset;
  const width = viewWidth + offset * 2;
  const height = viewHeight + offset * 2;

  useEffect(() => {
    if (!svg.current || !view.panZoom) return;
    const map = XYMinimap({
      domNode: svg.current,
      panZoom: view.panZoom,
      getTransform: () => store.getState().transform,
      getViewScale: () => viewScaleRef.current,
    });
    instance.current = map;
    return () => {
      map.destroy();
      instance.current = null;
    };
  }, [view.panZoom, store]);
  useEffect(() => {
    instance.current?.update({
      translateExtent: view.translateExtent,
      width: view.width,
      height: view.height,
      inversePan: false,
      pannable: true,
      zoomStep: 1,
      zoomable: true,
    });
  }, [view.panZoom, view.translateExtent, view.width, view.height]);

  return (
    <Panel
      position="bottom-right"
      className="react-flow__minimap"
      style={
        {
          width: MAP_WIDTH,
          height: MAP_HEIGHT,
          '--xy-minimap-node-background-color-props': '#c9d1dd',
          '--xy-minimap-node-stroke-color-props': '#667085',
          '--xy-minimap-mask-background-color-props': 'rgba(240, 242, 245, 0.6)',
        } as React.CSSProperties
      }
      data-testid="rf__minimap"
    >
      <svg
        ref={svg}
        width={MAP_WIDTH}
        height={MAP_HEIGHT}
        viewBox={`${x} ${y} ${width} ${height}`}
        className="react-flow__minimap-svg"
        role="img"
        aria-label="Overview map"
      >
        <path
          className="react-flow__minimap-node"
          d={path}
          shapeRendering="crispEdges"
          data-steps={nodes.length}
        />
        <path
          className="react-flow__minimap-mask"
          d={`M${x - offset},${y - offset}h${width + offset * 2}v${height + offset * 2}h${-width - offset * 2}z
        M${viewBB.x},${viewBB.y}h${viewBB.width}v${viewBB.height}h${-viewBB.width}z`}
          fillRule="evenodd"
          pointerEvents="none"
        />
      </svg>
    </Panel>
  );
});

/**
 * Every step as a rectangle, all in one path (one element, not one per step: a big journey's
 * thousands of map elements cost the browser on every frame, also while they do not change), and
 * the box around them all. At the map's scale a step is a few pixels, or less than one.
 */
function mapShapes(nodes: readonly StepFlowNode[]): { path: string; bounds: Rect | null } {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  const parts: string[] = [];
  for (const node of nodes) {
    const size = nodeSize(node.data.stepType, node.data.config);
    const width = node.measured?.width ?? size.width;
    const height = node.measured?.height ?? size.height;
    const { x, y } = node.position;
    minX = Math.min(minX, x);
    minY = Math.min(minY, y);
    maxX = Math.max(maxX, x + width);
    maxY = Math.max(maxY, y + height);
    parts.push(
      `M${Math.round(x)} ${Math.round(y)}h${Math.round(width)}v${Math.round(height)}h${-Math.round(width)}z`,
    );
  }
  const bounds = nodes.length ? { x: minX, y: minY, width: maxX - minX, height: maxY - minY } : null;
  return { path: parts.join(''), bounds };
}

function union(a: Rect, b: Rect): Rect {
  const x = Math.min(a.x, b.x);
  const y = Math.min(a.y, b.y);
  return {
    x,
    y,
    width: Math.max(a.x + a.width, b.x + b.width) - x,
    height: Math.max(a.y + a.height, b.y + b.height) - y,
  };
}

/** A small, collapsible overview map in the canvas corner (`nodes`: the steps it shows). */
export const CanvasMap = memo(function CanvasMap({
  shown,
  onToggle,
  nodes,
}: {
  shown: boolean;
  onToggle: () => void;
  nodes: readonly StepFlowNode[];
}) {
  return (
    <>
      {shown && <JourneyMap nodes={nodes} />}
      <Panel position="bottom-right" className={shown ? styles.mapToggleAbove : styles.mapToggle}>
        <button type="button" onClick={onToggle} aria-pressed={shown} data-testid="map-toggle">
          {shown ? 'Hide map' : 'Show map'}
        </button>
      </Panel>
    </>
  );
});

/**
 * Zoom in, zoom out and fit, where fit is the readable one ("Zoom to fit"): React Flow's own fit
 * button would shrink a small journey below readable text.
 */
export const CanvasControls = memo(function CanvasControls({ mapShown }: { mapShown: boolean }) {
  const fit = useFitReadable();
  return (
    <Controls showInteractive={false} showFitView={false}>
      <ControlButton
        className="react-flow__controls-fitview"
        onClick={() => void fit(mapShown, 200)}
        title="Fit View"
        aria-label="Fit View"
      >
        <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 30" aria-hidden="true">
          <path d="M3.692 4.63c0-.53.4-.938.939-.938h5.215V0H4.708C2.13 0 0 2.054 0 4.63v5.216h3.692V4.631zM27.354 0h-5.2v3.692h5.17c.53 0 .984.4.984.939v5.215H32V4.631A4.624 4.624 0 0027.354 0zm.954 24.83c0 .532-.4.94-.939.94h-5.215v3.768h5.215c2.577 0 4.631-2.13 4.631-4.707v-5.139h-3.692v5.139zm-23.677.94c-.531 0-.939-.4-.939-.94v-5.138H0v5.139c0 2.577 2.13 4.707 4.708 4.707h5.138V25.77H4.631z" />
        </svg>
      </ControlButton>
    </Controls>
  );
});
