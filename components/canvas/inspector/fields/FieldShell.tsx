'use client';
import { useId } from 'react';
import type { PurposeOption } from '../schema-form';
import styles from '../../canvas.module.css';

/** Names seen in the workspace's data, offered by the attribute and event pickers. */
export interface Vocabulary {
  attributes: string[];
  events: string[];
}

export interface FormContext {
  purposes: PurposeOption[];
  /** The whole config, for pickers that depend on a sibling (themes of the chosen purpose). */
  config: Record<string, unknown>;
  errors: Map<string, string[]>;
  disabled: boolean;
  vocabulary?: Vocabulary;
}

/** What every input inside a FieldShell gets: its id and description from the shell, the value and its setter. */
export interface InputProps {
  id: string;
  describedBy: string | undefined;
  value: unknown;
  onChange: (value: unknown) => void;
}

/** What a widget that is a fieldset of its own gets (a group, a list, a checklist, the split's weights). */
export interface GroupProps {
  path: string[];
  label: string;
  hint?: string;
  value: unknown;
  onChange: (value: unknown) => void;
  ctx: FormContext;
}

/** Each message once, even when zod and a rule both report it. */
export function errorsAt(ctx: FormContext, path: string[]): string[] {
  return [...new Set(ctx.errors.get(path.join('.')) ?? [])];
}

/** Label, input, help text and errors of one field, wired together for assistive technology. */
export function FieldShell({
  name,
  path,
  ctx,
  label,
  hint,
  children,
}: {
  name: string;
  path: string[];
  ctx: FormContext;
  label: string;
  hint?: string;
  children: (id: string, describedBy: string | undefined) => React.ReactNode;
}) {
  const id = `field-${useId().replace(/:/g, '')}-${name}`;
  const errors = errorsAt(ctx, path);
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = errors.length ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div data-field={path.join('.')} className={styles.field}>
      <label htmlFor={id}>{label}</label>
      {children(id, describedBy)}
      {hint && (
        <p className={styles.hint} id={hintId}>
          {hint}
        </p>
      )}
      {errors.length > 0 && (
        <p className="field-error" id={errorId}>
          {errors.join(' ')}
        </p>
      )}
    </div>
  );
}

export function InlineErrors({ path, ctx }: { path: string[]; ctx: FormContext }) {
  const errors = errorsAt(ctx, path);
  if (errors.length === 0) return null;
  return <p className="field-error">{errors.join(' ')}</p>;
}
