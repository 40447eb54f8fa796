'use client';
import Link from 'next/link';
import type { Notice } from './useNotices';
import styles from '../canvas.module.css';

/** Notices float over the top of the canvas; the live region announces each one to screen readers. */
export function Notices({
  notices,
  onDismiss,
  children,
}: {
  notices: Notice[];
  onDismiss: (topic: string) => void;
  /** Notices that cannot be dismissed (e.g. a save conflict that needs a reload). */
  children?: React.ReactNode;
}) {
  return (
    <div className={styles.notices} role="status" aria-live="polite" data-testid="editor-notices">
      {children}
      {notices.map((notice) => (
        <div
          key={notice.topic}
          className={`${styles.noticeItem} ${styles[`notice_${notice.kind}`]}`}
          data-testid={notice.testId}
          data-notice-kind={notice.kind}
        >
          <span className={styles.noticeText}>
            {notice.message}
            {notice.link && (
              <>
                {' '}
                <Link href={notice.link.href}>{notice.link.label}</Link>
              </>
            )}
          </span>
          <button
            type="button"
            className={styles.noticeDismiss}
            aria-label="Dismiss message"
            title="Dismiss"
            onClick={() => onDismiss(notice.topic)}
          >
            ×
          </button>
        </div>
      ))}
    </div>
  );
}

/** Autosave trouble: shown until resolved, since the marketer must act (reload) before editing on. */
export function SaveProblems({ conflict, error }: { conflict: boolean; error: string | null | undefined }) {
  if (conflict) {
    return (
      <div
        className={`${styles.noticeItem} ${styles.notice_error}`}
        role="alert"
        data-testid="conflict-message"
      >
        <span className={styles.noticeText}>
          This draft was changed in another tab or by someone else, so your latest change was not saved and
          nothing was overwritten.{' '}
          <button type="button" onClick={() => window.location.reload()}>
            Reload the draft
          </button>
        </span>
      </div>
    );
  }
  if (!error) return null;
  return (
    <div className={`${styles.noticeItem} ${styles.notice_error}`} role="alert">
      <span className={styles.noticeText}>{error}</span>
    </div>
  );
}
