'use client';
import { useId } from 'react';
import { HOLDOUT, SPLIT_BRANCHES, armLabel, shareOf, totalWeight, type SplitWeights } from '@/lib/journey';
import { InlineErrors, type GroupProps } from './FieldShell';
import styles from '../../canvas.module.css';

function weightsOf(value: unknown): SplitWeights {
  const record = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  const branches = Array.isArray(record.branches) ? record.branches.map((w) => Number(w) || 0) : [50, 50];
  const holdout = Number(record.holdout) || 0;
  return { branches, holdout };
}

/**
 * The split's weights editor: a weight per branch (A, B, …) and an optional holdout, each with its
 * share of the total as a percentage. Branches are added and removed at the end, so a branch keeps
 * its letter (and the customers assigned to it) while others come and go.
 */
export function SplitWeightsEditor({ path, label, hint, value, onChange, ctx }: GroupProps) {
  const baseId = `split-${useId().replace(/:/g, '')}`;
  const weights = weightsOf(value);
  const total = totalWeight(weights);
  const set = (next: SplitWeights) => onChange({ branches: next.branches, holdout: next.holdout });
  const input = (id: string, weight: number, onWeight: (weight: number) => void, describedBy: string) => (
    <input
      id={id}
      type="number"
      min={0}
      max={1000}
      step={1}
      inputMode="numeric"
      value={weight}
      disabled={ctx.disabled}
      aria-describedby={describedBy}
      onChange={(event) => onWeight(Math.max(0, Math.round(Number(event.target.value) || 0)))}
    />
  );
  return (
    <fieldset data-field={path.join('.')} data-testid="split-weights">
      <legend>{label}</legend>
      {hint && <p className={styles.hint}>{hint}</p>}
      <table className={styles.weightsTable}>
        <thead>
          <tr>
            <th scope="col">Branch</th>
            <th scope="col">Weight</th>
            <th scope="col">Share</th>
          </tr>
        </thead>
        <tbody>
          {weights.branches.map((weight, index) => {
            const arm = SPLIT_BRANCHES[index] ?? 'a';
            const id = `${baseId}-${arm}`;
            return (
              <tr key={arm}>
                <th scope="row">
                  <label htmlFor={id}>Branch {armLabel(arm)}</label>
                </th>
                <td>
                  {input(
                    id,
                    weight,
                    (next) =>
                      set({ ...weights, branches: weights.branches.map((w, i) => (i === index ? next : w)) }),
                    `${id}-share`,
                  )}
                  <InlineErrors path={[...path, 'branches', String(index)]} ctx={ctx} />
                </td>
                <td id={`${id}-share`} data-testid={`split-share-${arm}`}>
                  {total > 0 ? shareOf(arm, weights) : '–'}
                </td>
              </tr>
            );
          })}
          {weights.holdout > 0 && (
            <tr>
              <th scope="row">
                <label htmlFor={`${baseId}-holdout`}>Holdout</label>
              </th>
              <td>
                {input(
                  `${baseId}-holdout`,
                  weights.holdout,
                  (next) => set({ ...weights, holdout: next }),
                  `${baseId}-holdout-share`,
                )}
              </td>
              <td id={`${baseId}-holdout-share`} data-testid="split-share-holdout">
                {shareOf(HOLDOUT, weights)}
              </td>
            </tr>
          )}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">Total</th>
            <td>{total}</td>
            <td>{total > 0 ? '100 %' : '–'}</td>
          </tr>
        </tfoot>
      </table>
      <div className={styles.weightsActions}>
        <button
          type="button"
          disabled={ctx.disabled || weights.branches.length >= SPLIT_BRANCHES.length}
          onClick={() => {
            const even = Math.round(
              weights.branches.reduce((sum, w) => sum + w, 0) / Math.max(1, weights.branches.length),
            );
            set({ ...weights, branches: [...weights.branches, even || 50] });
          }}
        >
          Add branch {armLabel(SPLIT_BRANCHES[weights.branches.length] ?? 'j')}
        </button>
        <button
          type="button"
          disabled={ctx.disabled || weights.branches.length <= 2}
          onClick={() => set({ ...weights, branches: weights.branches.slice(0, -1) })}
        >
          Remove branch {armLabel(SPLIT_BRANCHES[weights.branches.length - 1] ?? 'b')}
        </button>
        <label className={styles.checkLabel}>
          <input
            type="checkbox"
            checked={weights.holdout > 0}
            disabled={ctx.disabled}
            onChange={(event) => set({ ...weights, holdout: event.target.checked ? 10 : 0 })}
          />{' '}
          Keep a holdout that gets nothing
        </label>
      </div>
      <InlineErrors path={[...path, 'branches']} ctx={ctx} />
      <InlineErrors path={[...path, 'holdout']} ctx={ctx} />
      <InlineErrors path={path} ctx={ctx} />
    </fieldset>
  );
}
