'use client';
import type { FormContext, InputProps } from './FieldShell';
import styles from '../../canvas.module.css';

/** Purposes of the workspace by name, with the legal basis of the chosen one. */
export function PurposePicker({
  id,
  describedBy,
  value,
  onChange,
  ctx,
  optional,
}: InputProps & { ctx: FormContext; optional: boolean }) {
  const chosen = ctx.purposes.find((purpose) => purpose.key === value);
  return (
    <>
      <select
        id={id}
        aria-describedby={describedBy}
        value={typeof value === 'string' ? value : ''}
        disabled={ctx.disabled}
        onChange={(event) => onChange(event.target.value || (optional ? undefined : ''))}
      >
        <option value="">Choose a purpose</option>
        {ctx.purposes.map((purpose) => (
          <option key={purpose.key} value={purpose.key}>
            {purpose.name} — legal basis: {purpose.legalBasis}
          </option>
        ))}
        {typeof value === 'string' && value && !chosen && (
          <option value={value}>{value} (unknown purpose)</option>
        )}
      </select>
      {chosen && (
        <p className={styles.hint} data-testid="purpose-legal-basis">
          Legal basis: <strong>{chosen.legalBasis}</strong>
        </p>
      )}
    </>
  );
}

function purposesInScope(ctx: FormContext) {
  const purposeKey = ctx.config.purpose;
  return typeof purposeKey === 'string' && purposeKey
    ? ctx.purposes.filter((p) => p.key === purposeKey)
    : ctx.purposes;
}

export function themeOptions(ctx: FormContext): { key: string; label: string }[] {
  const purposes = purposesInScope(ctx);
  return purposes.flatMap((purpose) =>
    purpose.themes.map((theme) => ({
      key: theme.key,
      label: purposes.length > 1 ? `${theme.name} (${purpose.name})` : theme.name,
    })),
  );
}

export function recipientOptions(ctx: FormContext): { key: string; label: string }[] {
  return purposesInScope(ctx).flatMap((purpose) =>
    purpose.recipients.map((recipient) => ({
      key: recipient.key,
      label: `${recipient.name} (${purpose.name})`,
    })),
  );
}

/** One theme or recipient of the chosen purpose, by name. */
export function KeyedSelect({
  id,
  describedBy,
  value,
  onChange,
  ctx,
  optional,
  options,
  placeholder,
}: InputProps & {
  ctx: FormContext;
  optional: boolean;
  options: { key: string; label: string }[];
  placeholder: string;
}) {
  return (
    <select
      id={id}
      aria-describedby={describedBy}
      value={typeof value === 'string' ? value : ''}
      disabled={ctx.disabled}
      onChange={(event) => onChange(event.target.value || undefined)}
    >
      <option value="">{optional ? '(none)' : placeholder}</option>
      {options.map((option) => (
        <option key={option.key} value={option.key}>
          {option.label}
        </option>
      ))}
      {typeof value === 'string' && value && !options.some((option) => option.key === value) && (
        <option value={value}>{value} (unknown)</option>
      )}
    </select>
  );
}

/** A name typed freely, with the names seen in the data offered as suggestions. */
export function NamePicker({
  id,
  describedBy,
  value,
  onChange,
  disabled,
  suggestions,
}: InputProps & { disabled: boolean; suggestions: string[] }) {
  const listId = `${id}-names`;
  return (
    <>
      <input
        id={id}
        aria-describedby={describedBy}
        disabled={disabled}
        type="text"
        list={listId}
        autoComplete="off"
        value={typeof value === 'string' ? value : ''}
        onChange={(event) => onChange(event.target.value)}
      />
      <datalist id={listId}>
        {suggestions.map((name) => (
          <option key={name} value={name} />
        ))}
      </datalist>
    </>
  );
}
