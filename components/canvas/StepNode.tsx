'use client';
import { Handle, Position, useUpdateNodeInternals, type NodeProps } from '@xyflow/react';
import { memo, useEffect, useMemo, useRef } from 'react';
import { getAnyStep, nodeSize, outputsOf, summarizeStepConfig } from '@/lib/journey';
import { useNodeAnnotation } from './annotations';
import { useCanvasContext } from './context';
import { useSimpleDrawing } from './detail';
import type { StepFlowNode } from './flow-model';
import styles from './canvas.module.css';

/** One step on the canvas: icon, title, one-line summary, validation state and labelled outputs. */
function StepNodeView({ id, data, selected }: NodeProps<StepFlowNode>) {
  const { annotations, summary: summaryContext, onAddAfter } = useCanvasContext();
  const annotation = useNodeAnnotation(annotations, id);
  const simple = useSimpleDrawing();
  const definition = getAnyStep(data.stepType);
  const summary = useMemo(
    () => (simple ? '' : summarizeStepConfig(data.stepType, data.config, summaryContext)),
    [simple, data.stepType, data.config, summaryContext],
  );
  const { width } = nodeSize(data.stepType, data.config);
  const outputs = useMemo(() => outputsOf(data.stepType, data.config), [data.stepType, data.config]);
  // A split's branches are its outputs: React Flow re-measures the handles when their number changes.
  const updateNodeInternals = useUpdateNodeInternals();
  const handleKey = outputs.map((output) => output.id).join(' ');
  // (Not on mount: React Flow measures a step when it is drawn, and a thousand steps drawn at once
  // would each ask for a second measurement.)
  const measuredKey = useRef(handleKey);
  useEffect(() => {
    if (measuredKey.current === handleKey) return;
    measuredKey.current = handleKey;
    updateNodeInternals(id);
  }, [handleKey, id, updateNodeInternals]);
  const state = annotation.errors.length ? 'error' : annotation.warnings.length ? 'warning' : 'ok';
  const title = data.title?.trim() || definition.label;

  if (simple) {
    // Zoomed out: a plain shape with the title and the counts. The hidden anchors keep the
    // connections' ends where the handles are (React Flow measures elements with these classes).
    const issues = annotation.errors.length + annotation.warnings.length;
    return (
      <div
        className={[
          styles.simpleNode,
          styles[`category_${definition.category}`],
          selected ? styles.selected : '',
          state !== 'ok' ? styles[state] : '',
          annotation.path ? styles.onPath : '',
        ].join(' ')}
        style={{ width }}
        data-step-type={data.stepType}
        data-testid={`node-${id}`}
        data-validation={state}
        data-lod="simple"
        role="group"
        aria-label={`${definition.label}: ${title}${state === 'ok' ? '' : `. ${annotation.errors.length} errors, ${annotation.warnings.length} warnings`}`}
      >
        {data.stepType !== 'entry' && (
          <span
            className={`react-flow__handle react-flow__handle-top target ${styles.targetHandle} ${styles.anchor}`}
            data-handlepos="top"
            aria-hidden="true"
          />
        )}
        <span className={styles.simpleTitle}>{title}</span>
        {annotation.liveCount !== undefined && (
          <span className={styles.liveCount} data-testid={`node-count-${id}`}>
            {annotation.liveCount}
          </span>
        )}
        {issues > 0 && (
          <span className={state === 'error' ? styles.errorBadge : styles.warningBadge}>
            {state === 'error' ? `⚠ ${annotation.errors.length}` : `! ${annotation.warnings.length}`}
          </span>
        )}
        {outputs.length > 0 && (
          <div className={styles.outputs}>
            {outputs.map((output, i) => (
              <div
                key={output.id}
                className={styles.outputLabel}
                style={{ left: `${((i + 0.5) / outputs.length) * 100}%` }}
              >
                <span
                  className={`react-flow__handle react-flow__handle-bottom source ${styles.sourceHandle} ${styles.anchor}`}
                  data-handleid={output.id}
                  data-handlepos="bottom"
                  aria-hidden="true"
                />
              </div>
            ))}
          </div>
        )}
      </div>
    );
  }
  const className = [
    styles.node,
    styles[`category_${definition.category}`],
    selected ? styles.selected : '',
    state !== 'ok' ? styles[state] : '',
    annotation.path ? styles.onPath : '',
    annotation.path?.current ? styles.current : '',
  ].join(' ');

  return (
    <div
      className={className}
      style={{ width }}
      data-step-type={data.stepType}
      data-testid={`node-${id}`}
      data-validation={state}
      role="group"
      aria-label={`${definition.label}: ${title}. ${summary}${state === 'ok' ? '' : `. ${annotation.errors.length} errors, ${annotation.warnings.length} warnings`}`}
    >
      {data.stepType !== 'entry' && (
        // Handles are for the mouse; the keyboard connects in the "Next steps" panel and with "+".
        <Handle type="target" position={Position.Top} className={styles.targetHandle} aria-hidden="true" />
      )}
      <div className={styles.nodeHeader}>
        <span className={styles.icon} aria-hidden="true">
          {definition.icon}
        </span>
        <span className={styles.nodeTitle}>{title}</span>
        {annotation.liveCount !== undefined && (
          <span
            className={styles.liveCount}
            data-testid={`node-count-${id}`}
            title="Customers at this step now"
          >
            {annotation.liveCount}
          </span>
        )}
        {state !== 'ok' && (
          <span
            className={state === 'error' ? styles.errorBadge : styles.warningBadge}
            title={[...annotation.errors, ...annotation.warnings].join('\n')}
            data-testid={`node-issues-${id}`}
          >
            {state === 'error' ? `⚠ ${annotation.errors.length}` : `! ${annotation.warnings.length}`}
          </span>
        )}
      </div>
      <div className={styles.summary} title={summary}>
        {summary}
      </div>
      {(annotation.leftBy?.['held-at-send'] || annotation.leftBy?.['skipped-at-send']) && (
        <div className={styles.pathReason} data-testid={`policy-counts-${id}`}>
          Delivery policy: held {annotation.leftBy['held-at-send'] ?? 0} · skipped{' '}
          {annotation.leftBy['skipped-at-send'] ?? 0}
        </div>
      )}
      {annotation.path && (
        <div className={styles.pathReason} data-testid={`path-reason-${id}`}>
          {annotation.path.current ? 'Here now' : annotation.path.outcome}: {annotation.path.reason}
        </div>
      )}
      {outputs.length > 0 && (
        <div className={styles.outputs}>
          {outputs.map((output, i) => {
            const left = `${((i + 0.5) / outputs.length) * 100}%`;
            const leftCount = annotation.leftBy?.[output.id];
            return (
              <div key={output.id} className={styles.outputLabel} style={{ left }}>
                {output.label}
                {leftCount !== undefined && <span className={styles.leftCount}> · {leftCount}</span>}
                <Handle
                  type="source"
                  id={output.id}
                  position={Position.Bottom}
                  className={styles.sourceHandle}
                  aria-hidden="true"
                  data-handle={output.id}
                />
                {onAddAfter && (
                  <button
                    type="button"
                    className={`nodrag nopan ${styles.addAfter}`}
                    data-testid={`add-after-${id}-${output.id}`}
                    aria-label={`Add a step after “${title}”${outputs.length > 1 ? `, output “${output.label}”` : ''}`}
                    title="Add the next step"
                    onClick={(event) => {
                      event.stopPropagation();
                      onAddAfter(id, output.id);
                    }}
                  >
                    +
                  </button>
                )}
              </div>
            );
          })}
        </div>
      )}
    </div>
  );
}

export const StepNode = memo(StepNodeView);
