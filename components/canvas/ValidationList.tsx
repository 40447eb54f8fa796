'use client';
import { memo } from 'react';
import type { Issue } from '@/lib/journey';
import styles from './canvas.module.css';

/** A huge journey can have hundreds of findings; listing them all would slow the editor down. */
const MAX_LISTED = 50;

/** Errors and warnings of the draft; clicking one focuses its step on the canvas. */
function ValidationListView({
  blank = false,
  errors,
  warnings,
  onFocusNode,
}: {
  /** The journey has only its entry step: nothing to check yet. */
  blank?: boolean;
  errors: Issue[];
  warnings: Issue[];
  onFocusNode: (nodeId: string) => void;
}) {
  return (
    <section
      className={`card ${styles.issues}`}
      data-testid="validation-errors"
      aria-label="Problems"
      data-error-count={errors.length}
    >
      <h2 style={{ marginTop: 0, fontSize: '1rem' }}>
        {errors.length === 0 && warnings.length === 0
          ? blank
            ? 'Nothing to check yet: add a step'
            : 'No problems found'
          : `${errors.length} ${errors.length === 1 ? 'error' : 'errors'}, ${warnings.length} ${warnings.length === 1 ? 'warning' : 'warnings'}`}
      </h2>
      <ul>
        {errors.slice(0, MAX_LISTED).map((issue, i) => (
          <IssueItem key={`e${i}`} issue={issue} kind="error" onFocusNode={onFocusNode} />
        ))}
        {warnings.slice(0, Math.max(0, MAX_LISTED - errors.length)).map((issue, i) => (
          <IssueItem key={`w${i}`} issue={issue} kind="warning" onFocusNode={onFocusNode} />
        ))}
      </ul>
      {errors.length + warnings.length > MAX_LISTED && (
        <p className="muted">
          …and {errors.length + warnings.length - MAX_LISTED} more; fix these first (the steps are marked on
          the canvas).
        </p>
      )}
    </section>
  );
}

function IssueItem({
  issue,
  kind,
  onFocusNode,
}: {
  issue: Issue;
  kind: 'error' | 'warning';
  onFocusNode: (id: string) => void;
}) {
  const className = kind === 'error' ? styles.errorText : styles.warningText;
  return (
    <li className={className} data-issue-node={issue.nodeId ?? ''}>
      {issue.nodeId ? (
        <button
          type="button"
          className={`${styles.issueButton} ${className}`}
          onClick={() => onFocusNode(issue.nodeId!)}
        >
          {kind === 'error' ? 'Error' : 'Warning'}: {issue.message}
        </button>
      ) : (
        <>
          {kind === 'error' ? 'Error' : 'Warning'}: {issue.message}
        </>
      )}
    </li>
  );
}

export const ValidationList = memo(ValidationListView);
