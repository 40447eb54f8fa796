'use client';
import { z } from 'zod';
import { fieldMeta, optionLabel, type FieldMeta } from '@/lib/journey';
import { ObjectFields } from '../ConfigForm';
import { initialValue } from '../schema-form';
import { InlineErrors, type GroupProps } from './FieldShell';
import styles from '../../canvas.module.css';

/** A group of fields; an optional group (e.g. quiet hours) has a checkbox to switch it on. */
export function OptionalGroup({
  path,
  label,
  hint,
  schema,
  optional,
  value,
  onChange,
  ctx,
}: GroupProps & { schema: z.ZodType; optional: boolean }) {
  const enabled = value !== undefined;
  return (
    <fieldset data-field={path.join('.')}>
      <legend>{label}</legend>
      {optional && (
        <label className={styles.checkLabel}>
          <input
            type="checkbox"
            checked={enabled}
            disabled={ctx.disabled}
            onChange={(event) => onChange(event.target.checked ? initialValue(schema) : undefined)}
          />{' '}
          Use {label.toLowerCase()}
        </label>
      )}
      {hint && <p className={styles.hint}>{hint}</p>}
      {enabled && <ObjectFields schema={schema} value={value} onChange={onChange} path={path} ctx={ctx} />}
      <InlineErrors path={path} ctx={ctx} />
    </fieldset>
  );
}

/** A list: choices as checkboxes, or rows of fields with Add and Remove. */
export function ListField({
  path,
  label,
  hint,
  schema,
  meta,
  value,
  onChange,
  ctx,
}: GroupProps & { schema: z.ZodArray; meta: FieldMeta }) {
  const element = schema.element as z.ZodType;
  const items = Array.isArray(value) ? (value as unknown[]) : [];
  if (element instanceof z.ZodEnum) {
    return (
      <fieldset data-field={path.join('.')}>
        <legend>{label}</legend>
        {(element.options as string[]).map((option) => (
          <label key={option} className={styles.checkLabel}>
            <input
              type="checkbox"
              checked={items.includes(option)}
              disabled={ctx.disabled}
              onChange={(event) =>
                onChange(event.target.checked ? [...items, option] : items.filter((item) => item !== option))
              }
            />{' '}
            {optionLabel(meta, option)}
          </label>
        ))}
        {hint && <p className={styles.hint}>{hint}</p>}
        <InlineErrors path={path} ctx={ctx} />
      </fieldset>
    );
  }
  const noun = (fieldMeta(element).label ?? 'item').toLowerCase();
  return (
    <fieldset data-field={path.join('.')}>
      <legend>{label}</legend>
      {hint && <p className={styles.hint}>{hint}</p>}
      {items.map((item, index) => (
        <div key={index} className={styles.conditionRow} role="group" aria-label={`${noun} ${index + 1}`}>
          <ObjectFields
            schema={element}
            value={item}
            path={[...path, String(index)]}
            ctx={ctx}
            onChange={(next) => onChange(items.map((old, i) => (i === index ? next : old)))}
          />
          <button
            type="button"
            disabled={ctx.disabled}
            onClick={() => onChange(items.filter((_, i) => i !== index))}
          >
            Remove {noun}
          </button>
        </div>
      ))}
      <button
        type="button"
        disabled={ctx.disabled}
        onClick={() => onChange([...items, initialValue(element)])}
      >
        Add {noun}
      </button>
      <InlineErrors path={path} ctx={ctx} />
    </fieldset>
  );
}
