'use client';
import Link from 'next/link';
import { memo } from 'react';
import styles from '../canvas.module.css';

const STATUS_LABEL: Record<string, string> = {
  draft: 'Draft',
  live: 'Live',
  paused: 'Paused',
  archived: 'Archived',
};

/** The journey's name (the page's level-one heading), its status and the editor's commands. */
export const EditorToolbar = memo(function EditorToolbar({
  journeyId,
  journeyName,
  status,
  readOnly,
  canUndo,
  canRedo,
  saveLabel,
  publishing,
  publishDisabled,
  onUndo,
  onRedo,
  onAutoLayout,
  onZoomToFit,
  onPublish,
}: {
  journeyId: number;
  journeyName: string;
  status: string;
  readOnly: boolean;
  canUndo: boolean;
  canRedo: boolean;
  saveLabel: string;
  publishing: boolean;
  publishDisabled: boolean;
  onUndo: () => void;
  onRedo: () => void;
  onAutoLayout: () => void;
  onZoomToFit: () => void;
  onPublish: () => void;
}) {
  return (
    <div className={styles.toolbar}>
      <h1 className={styles.journeyName}>{journeyName}</h1>
      <span className={`badge ${status}`} data-testid="journey-status">
        {STATUS_LABEL[status] ?? status}
      </span>
      <div className={styles.toolbarButtons} role="toolbar" aria-label="Journey editor">
        {!readOnly && (
          <>
            <button
              type="button"
              data-testid="undo"
              onClick={onUndo}
              disabled={!canUndo}
              title="Undo (Ctrl+Z)"
            >
              Undo
            </button>
            <button
              type="button"
              data-testid="redo"
              onClick={onRedo}
              disabled={!canRedo}
              title="Redo (Shift+Ctrl+Z)"
            >
              Redo
            </button>
            <button type="button" onClick={onAutoLayout}>
              Auto-layout
            </button>
          </>
        )}
        <button type="button" onClick={onZoomToFit}>
          Zoom to fit
        </button>
      </div>
      <Link href={`/journeys/${journeyId}/history`}>History</Link>
      <Link href={`/journeys/${journeyId}/live`}>Live view</Link>
      <Link href={`/journeys/${journeyId}/test`}>Test mode</Link>
      <span className={styles.spacer} />
      <span className={styles.saveState} aria-live="polite" data-testid="save-state">
        {readOnly ? 'Read only' : saveLabel}
      </span>
      {!readOnly && (
        <button
          type="button"
          className="primary"
          data-testid="publish"
          onClick={onPublish}
          disabled={publishDisabled}
        >
          {publishing ? 'Publishing…' : 'Publish'}
        </button>
      )}
    </div>
  );
});
