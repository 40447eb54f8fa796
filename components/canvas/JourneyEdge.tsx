'use client';
import { SmoothStepEdge, type EdgeProps, type EdgeTypes } from '@xyflow/react';
import { memo } from 'react';
import { useSimpleDrawing } from './detail';

/** A connection: a rounded step path, or a plain line when the canvas is zoomed out. */
function JourneyEdgeView(props: EdgeProps) {
  const simple = useSimpleDrawing();
  if (simple) {
    const { sourceX, sourceY, targetX, targetY } = props;
    return (
      <path
        className="react-flow__edge-path"
        d={`M${sourceX},${sourceY}L${targetX},${targetY}`}
        fill="none"
        style={props.style}
        data-lod="simple"
      />
    );
  }
  return <SmoothStepEdge {...props} />;
}

export const JourneyEdge = memo(JourneyEdgeView);

export const edgeTypes: EdgeTypes = { journey: JourneyEdge };
