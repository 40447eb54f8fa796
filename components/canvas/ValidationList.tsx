'use client';
import { memo } from 'react';
import type { Issue } from '@/lib/journey';
import styles from './canvas.module.css';

/** Errors and warnings of the draft; clicking one focuses its step on the canvas. */
function ValidationListView({
  errors,
  warnings,
  onFocusNode,
}: {
  errors: Issue[];
  warnings: Issue[];
  onFocusNode: (nodeId: string) => void;
}) {
  return (
    <section className={`card ${styles.issues}`} data-testid="validation-errors" aria-label="Problems" data-error-count={errors.length}>
      <h2 style={{ marginTop: 0, fontSize: '1rem' }}>
        {errors.length === 0 && warnings.length === 0
          ? 'No problems found'
          : `${errors.length} ${errors.length === 1 ? 'error' : 'errors'}, ${warnings.length} ${warnings.length === 1 ? 'warning' : 'warnings'}`}
      </h2>
      <ul>
        {errors.map((issue, i) => (
          <IssueItem key={`e${i}`} issue={issue} kind="error" onFocusNode={onFocusNode} />
        ))}
        {warnings.map((issue, i) => (
          <IssueItem key={`w${i}`} issue={issue} kind="warning" onFocusNode={onFocusNode} />
        ))}
      </ul>
    </section>
  );
}

function IssueItem({ issue, kind, onFocusNode }: { issue: Issue; kind: 'error' | 'warning'; onFocusNode: (id: string) => void }) {
  const className = kind === 'error' ? styles.errorText : styles.warningText;
  return (
    <li className={className} data-issue-node={issue.nodeId ?? ''}>
      {issue.nodeId ? (
        <button type="button" className={`${styles.issueButton} ${className}`} onClick={() => onFocusNode(issue.nodeId!)}>
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
