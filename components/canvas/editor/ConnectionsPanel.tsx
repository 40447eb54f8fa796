'use client';
import { memo } from 'react';
import { isTerminalStep, outputsOf, stepDefinitions, type StepType } from '@/lib/journey';
import styles from '../canvas.module.css';

type StepRef = { id: string; type: StepType; title: string; config?: unknown };

/**
 * The keyboard's way to wire steps: each output of the selected step has a "goes to" choice.
 * Choosing a step connects (or re-points) the output; "Not connected" removes the connection.
 */
function ConnectionsPanelView({
  node,
  steps,
  targets,
  readOnly,
  onConnect,
  onAddAfter,
}: {
  node: StepRef;
  steps: StepRef[];
  /** Current target per output id. */
  targets: Record<string, string | undefined>;
  readOnly: boolean;
  onConnect: (sourceHandle: string, target: string | null) => void;
  onAddAfter: (sourceHandle: string) => void;
}) {
  const outputs = outputsOf(node.type, node.config);
  if (isTerminalStep(node.type) || outputs.length === 0) return null;
  const candidates = steps.filter((step) => step.id !== node.id && step.type !== 'entry');
  return (
    <section
      className={`card ${styles.inspector}`}
      aria-labelledby="connections-title"
      data-testid="connections"
    >
      <h2 id="connections-title" className={styles.sideTitle}>
        Next steps
      </h2>
      {outputs.map((output) => {
        const id = `connect-${node.id}-${output.id}`;
        return (
          <div key={output.id} className={styles.connectionRow}>
            <label htmlFor={id}>{outputs.length === 1 ? 'Goes to' : `“${output.label}” goes to`}</label>
            <div className={styles.connectionControls}>
              <select
                id={id}
                value={targets[output.id] ?? ''}
                disabled={readOnly}
                onChange={(event) => onConnect(output.id, event.target.value || null)}
              >
                <option value="">
                  {output.required ? 'Not connected yet' : 'Not connected (journey ends)'}
                </option>
                {candidates.map((step) => (
                  <option key={step.id} value={step.id}>
                    {step.title}
                    {step.title === stepDefinitions[step.type].label
                      ? ''
                      : ` (${stepDefinitions[step.type].label})`}
                  </option>
                ))}
              </select>
              {!readOnly && (
                <button
                  type="button"
                  onClick={() => onAddAfter(output.id)}
                  aria-label={`Add a step after “${output.label}”`}
                  title="Add a new step here"
                >
                  +
                </button>
              )}
            </div>
          </div>
        );
      })}
    </section>
  );
}

export const ConnectionsPanel = memo(ConnectionsPanelView);
