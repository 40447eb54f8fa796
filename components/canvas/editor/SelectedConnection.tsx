'use client';
import styles from '../canvas.module.css';

/** Shown while connections are selected: what is selected and how to delete it. */
export function SelectedConnection({
  count,
  from,
  to,
  onDelete,
}: {
  count: number;
  from?: string;
  to?: string;
  onDelete: () => void;
}) {
  return (
    <div className={styles.edgeBar} data-testid="selected-connection">
      <span>
        {count === 1 && from && to
          ? `Connection from “${from}” to “${to}” selected.`
          : `${count} connections selected.`}{' '}
        Press Delete or
      </span>
      <button type="button" className="danger" onClick={onDelete}>
        {count === 1 ? 'Delete connection' : 'Delete connections'}
      </button>
    </div>
  );
}
