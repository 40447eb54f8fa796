'use client';
import { useEffect, useMemo, useRef, useState } from 'react';
import { STEP_TYPES, stepDefinitions, type StepType } from '@/lib/journey';
import styles from '../canvas.module.css';

/**
 * Chooses the step to add after an output ("+" on a step, or a connection dropped on empty
 * canvas). Type to filter, arrow keys or Tab to move, Enter to add, Escape to close.
 */
export function StepPicker({
  title,
  onPick,
  onClose,
}: {
  title: string;
  onPick: (type: StepType) => void;
  onClose: () => void;
}) {
  const [filter, setFilter] = useState('');
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);
  const choices = useMemo(() => {
    const wanted = filter.trim().toLowerCase();
    const types = STEP_TYPES.filter((type) => type !== 'entry');
    if (!wanted) return types;
    // Steps whose name starts with the text first, then names containing it, then descriptions.
    const rank = (type: StepType) => {
      const label = stepDefinitions[type].label.toLowerCase();
      if (label.startsWith(wanted)) return 0;
      if (label.includes(wanted)) return 1;
      return stepDefinitions[type].description.toLowerCase().includes(wanted) ? 2 : 3;
    };
    return types
      .map((type) => ({ type, rank: rank(type) }))
      .filter((choice) => choice.rank < 3)
      .sort((a, b) => a.rank - b.rank)
      .map((choice) => choice.type);
  }, [filter]);

  return (
    <div
      className={styles.pickerBackdrop}
      onMouseDown={(event) => {
        if (event.target === event.currentTarget) onClose();
      }}
    >
      <div
        className={styles.picker}
        role="dialog"
        aria-modal="true"
        aria-labelledby="step-picker-title"
        data-testid="step-picker"
        onKeyDown={(event) => {
          if (event.key === 'Escape') {
            event.stopPropagation();
            onClose();
          }
        }}
      >
        <h2 id="step-picker-title" className={styles.pickerTitle}>
          {title}
        </h2>
        <label htmlFor="step-picker-filter" className="visually-hidden">
          Find a step
        </label>
        <input
          id="step-picker-filter"
          ref={input}
          type="search"
          placeholder="Find a step…"
          value={filter}
          onChange={(event) => setFilter(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'Enter' && choices[0]) {
              event.preventDefault();
              onPick(choices[0]);
            }
          }}
        />
        <ul className={styles.pickerList}>
          {choices.map((type) => {
            const definition = stepDefinitions[type];
            return (
              <li key={type}>
                <button
                  type="button"
                  className={styles.pickerItem}
                  data-testid={`pick-${type}`}
                  onClick={() => onPick(type)}
                >
                  <span aria-hidden="true">{definition.icon}</span>
                  <span>
                    <strong>{definition.label}</strong>
                    <span className={styles.hint}>{definition.description}</span>
                  </span>
                </button>
              </li>
            );
          })}
          {choices.length === 0 && <li className="muted">No step matches “{filter}”.</li>}
        </ul>
        <button type="button" onClick={onClose}>
          Cancel
        </button>
      </div>
    </div>
  );
}
