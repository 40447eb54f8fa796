'use client';
import type { ReactFlowInstance } from '@xyflow/react';
import { useCallback, useState, type RefObject } from 'react';
import { freePositionNear, nodeSize, outputsOf, stepDefinitions, type StepType } from '@/lib/journey';
import type { StepFlowEdge, StepFlowNode } from '../flow-model';
import { STEP_DRAG_MIME } from '../Palette';
import type { EditorGraph } from './useEditorGraph';

type Output = { source: string; sourceHandle: string };

/** Where a step added after an output goes: below it, beside its siblings, on free canvas. */
function belowOutput(nodes: StepFlowNode[], from: Output, type: StepType) {
  const source = nodes.find((node) => node.id === from.source);
  if (!source) return { x: 0, y: 0 };
  const outputs = outputsOf(source.data.stepType, source.data.config);
  const index = Math.max(
    0,
    outputs.findIndex((output) => output.id === from.sourceHandle),
  );
  const width = nodeSize(type).width;
  const slot = outputs.length > 1 ? (index - (outputs.length - 1) / 2) * (width + 24) : 0;
  const others = nodes
    .filter((n) => n.id !== source.id)
    .map((n) => ({ type: n.data.stepType, config: n.data.config, position: n.position }));
  return freePositionNear(others, type, {
    x: source.position.x + nodeSize(source.data.stepType, source.data.config).width / 2 - width / 2 + slot,
    y: source.position.y + 150,
  });
}

/** Adding steps: palette click (at the centre), palette drag and drop, and "+" / dropped connections (picker). */
export function useStepAdding({
  graph,
  flow,
  wrapperRef,
  readOnly,
}: {
  graph: EditorGraph;
  flow: ReactFlowInstance<StepFlowNode, StepFlowEdge>;
  wrapperRef: RefObject<HTMLDivElement | null>;
  readOnly: boolean;
}) {
  const { addNode, stateRef } = graph;
  const [picker, setPicker] = useState<{ from: Output; at?: { x: number; y: number } } | null>(null);

  const addAtCentre = useCallback(
    (type: StepType) => {
      const box = wrapperRef.current?.getBoundingClientRect();
      const centre = box
        ? flow.screenToFlowPosition({ x: box.left + box.width / 2, y: box.top + box.height / 2 })
        : { x: 0, y: 0 };
      const nodes = stateRef.current.nodes.map((n) => ({
        type: n.data.stepType,
        config: n.data.config,
        position: n.position,
      }));
      addNode(type, freePositionNear(nodes, type, { x: centre.x - 120, y: centre.y - 44 }));
    },
    [addNode, flow, stateRef, wrapperRef],
  );

  const openPickerAfter = useCallback((source: string, sourceHandle: string) => {
    setPicker({ from: { source, sourceHandle } });
  }, []);
  const onDropOnPane = useCallback(
    (from: Output, screen: { x: number; y: number }) =>
      setPicker({ from, at: flow.screenToFlowPosition(screen) }),
    [flow],
  );
  const closePicker = useCallback(() => setPicker(null), []);

  const addFromPicker = useCallback(
    (type: StepType) => {
      if (!picker) return;
      const position = picker.at
        ? { x: picker.at.x - nodeSize(type).width / 2, y: picker.at.y }
        : belowOutput(stateRef.current.nodes, picker.from, type);
      setPicker(null);
      const id = addNode(type, position, picker.from);
      // Keyboard users continue from the new step, once it is drawn: React Flow keeps a step
      // invisible (so not focusable) until it has been measured, a few frames at most.
      if (id) {
        let frames = 0;
        const focusNew = () => {
          const element = wrapperRef.current?.querySelector<HTMLElement>(
            `.react-flow__node[data-id="${id}"]`,
          );
          element?.focus();
          if (document.activeElement !== element && ++frames < 120) window.requestAnimationFrame(focusNew);
        };
        window.requestAnimationFrame(focusNew);
      }
    },
    [addNode, picker, stateRef, wrapperRef],
  );

  const onDragOver = useCallback((event: React.DragEvent) => {
    event.preventDefault();
    event.dataTransfer.dropEffect = 'move';
  }, []);
  const onDrop = useCallback(
    (event: React.DragEvent) => {
      event.preventDefault();
      if (readOnly) return;
      const type = (event.dataTransfer.getData(STEP_DRAG_MIME) ||
        event.dataTransfer.getData('text/plain')) as StepType;
      if (!(type in stepDefinitions)) return;
      const position = flow.screenToFlowPosition({ x: event.clientX, y: event.clientY });
      addNode(type, { x: position.x - 120, y: position.y - 44 });
    },
    [addNode, flow, readOnly],
  );

  return {
    picker,
    addAtCentre,
    openPickerAfter,
    onDropOnPane,
    closePicker,
    addFromPicker,
    onDragOver,
    onDrop,
  };
}
