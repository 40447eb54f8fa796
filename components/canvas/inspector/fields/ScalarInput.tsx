'use client';
import { z } from 'zod';
import { optionLabel, type FieldMeta } from '@/lib/journey';
import type { InputProps } from './FieldShell';

/** Text, number, yes/no, choice and time inputs; choices show their labels, never their values. */
export function ScalarInput({
  id,
  describedBy,
  schema,
  meta,
  optional,
  value,
  onChange,
  disabled,
}: InputProps & { schema: z.ZodType; meta: FieldMeta; optional: boolean; disabled: boolean }) {
  const common = { id, 'aria-describedby': describedBy, disabled };
  if (schema instanceof z.ZodEnum) {
    return (
      <select
        {...common}
        value={typeof value === 'string' ? value : ''}
        onChange={(e) => onChange(e.target.value || undefined)}
      >
        {(optional || value === undefined) && <option value="">(none)</option>}
        {(schema.options as string[]).map((option) => (
          <option key={option} value={option}>
            {optionLabel(meta, option)}
          </option>
        ))}
      </select>
    );
  }
  if (schema instanceof z.ZodBoolean) {
    return (
      <input
        {...common}
        type="checkbox"
        checked={value === true}
        onChange={(e) => onChange(e.target.checked)}
      />
    );
  }
  if (schema instanceof z.ZodNumber) {
    return (
      <input
        {...common}
        type="number"
        inputMode="numeric"
        min={schema.minValue ?? undefined}
        max={schema.maxValue ?? undefined}
        value={typeof value === 'number' ? value : ''}
        onChange={(e) => onChange(e.target.value === '' ? undefined : Number(e.target.value))}
      />
    );
  }
  if (meta.widget === 'time') {
    return (
      <input
        {...common}
        type="time"
        value={typeof value === 'string' ? value : ''}
        onChange={(e) => onChange(e.target.value || undefined)}
      />
    );
  }
  if (meta.widget === 'textarea' || meta.widget === 'message-body') {
    return (
      <textarea
        {...common}
        rows={meta.widget === 'message-body' ? 7 : 3}
        value={typeof value === 'string' ? value : ''}
        onChange={(e) => onChange(e.target.value)}
      />
    );
  }
  if (schema instanceof z.ZodUnion) {
    // e.g. a condition value that may be text, a number or true/false: typed as text, numbers kept as numbers.
    return (
      <input
        {...common}
        type="text"
        value={value === undefined ? '' : String(value)}
        onChange={(e) => {
          const text = e.target.value;
          onChange(
            text === ''
              ? undefined
              : text === 'true'
                ? true
                : text === 'false'
                  ? false
                  : /^-?\d+(\.\d+)?$/.test(text)
                    ? Number(text)
                    : text,
          );
        }}
      />
    );
  }
  return (
    <input
      {...common}
      type="text"
      value={typeof value === 'string' ? value : ''}
      onChange={(e) => onChange(optional && e.target.value === '' ? undefined : e.target.value)}
    />
  );
}
