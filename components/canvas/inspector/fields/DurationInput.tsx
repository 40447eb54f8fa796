'use client';
import { useState } from 'react';
import { durationUnits, joinDuration, splitDuration, type DurationUnit } from '@/lib/journey';
import type { InputProps } from './FieldShell';
import styles from '../../canvas.module.css';

/** A number of minutes, hours or days; the config keeps the field's own unit (e.g. minutes). */
export function DurationInput({
  id,
  describedBy,
  stored,
  value,
  onChange,
  disabled,
}: InputProps & { stored: DurationUnit; disabled: boolean }) {
  const amount = typeof value === 'number' ? value : undefined;
  // The unit is the marketer's choice while typing; it starts as the largest whole unit.
  const [unit, setUnit] = useState<DurationUnit>(() =>
    amount === undefined ? stored : splitDuration(amount, stored).unit,
  );
  const units = durationUnits(stored);
  const perUnit = joinDuration(1, unit, stored);
  const shown = amount === undefined ? '' : Math.round((amount / perUnit) * 100) / 100;
  return (
    <span className={styles.duration}>
      <input
        id={id}
        aria-describedby={describedBy}
        disabled={disabled}
        type="number"
        inputMode="numeric"
        min={0}
        step="any"
        value={shown}
        onChange={(event) =>
          onChange(
            event.target.value === '' ? undefined : joinDuration(Number(event.target.value), unit, stored),
          )
        }
      />
      <select
        aria-label={`Unit`}
        value={unit}
        disabled={disabled}
        onChange={(event) => {
          const next = event.target.value as DurationUnit;
          setUnit(next);
          // Keep the number the marketer typed, now in the new unit ("3" hours -> "3" days).
          if (typeof shown === 'number') onChange(joinDuration(shown, next, stored));
        }}
      >
        {units.map((option) => (
          <option key={option} value={option}>
            {option}
          </option>
        ))}
      </select>
    </span>
  );
}
