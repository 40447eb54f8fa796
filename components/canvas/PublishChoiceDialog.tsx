'use client';
import { useEffect, useId, useRef, useState } from 'react';

/**
 * Asked before publishing over a live version that still has customers on their way: do they
 * follow the new version (where their step still exists) or finish on the one they entered?
 */
export function PublishChoiceDialog({
  runningCount,
  onConfirm,
  onCancel,
}: {
  runningCount: number;
  onConfirm: (moveRunning: boolean) => void;
  onCancel: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const [choice, setChoice] = useState<'move' | 'leave'>('move');
  const titleId = useId();
  const name = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);

  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      data-testid="publish-dialog"
      onCancel={(event) => {
        event.preventDefault();
        onCancel();
      }}
      style={{ maxWidth: '34rem', borderRadius: 8, border: '1px solid var(--border)' }}
    >
      <form
        className="form-stack"
        onSubmit={(event) => {
          event.preventDefault();
          onConfirm(choice === 'move');
        }}
      >
        <h2 id={titleId} style={{ marginTop: 0 }}>
          Publish a new version
        </h2>
        <fieldset>
          <legend>
            {runningCount === 1 ? '1 customer is' : `${runningCount} customers are`} still in the live
            version. What should happen to them?
          </legend>
          <label style={{ display: 'block' }}>
            <input
              type="radio"
              name={name}
              value="move"
              checked={choice === 'move'}
              onChange={() => setChoice('move')}
            />{' '}
            Move running customers to the new version where their step still exists
          </label>
          <label style={{ display: 'block' }}>
            <input
              type="radio"
              name={name}
              value="leave"
              checked={choice === 'leave'}
              onChange={() => setChoice('leave')}
            />{' '}
            Leave running customers on the version they entered
          </label>
        </fieldset>
        <p className="muted" style={{ margin: 0 }}>
          New customers always enter the new version.
        </p>
        <div className="row">
          <button type="submit" className="primary" data-testid="publish-confirm">
            Publish
          </button>
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
        </div>
      </form>
    </dialog>
  );
}
