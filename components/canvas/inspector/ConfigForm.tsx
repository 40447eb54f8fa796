'use client';
import { useId } from 'react';
import { z } from 'zod';
import { ConditionBuilder } from './ConditionBuilder';
import {
  asRecord,
  discriminatorOf,
  humanize,
  initialValue,
  isConditionGroupSchema,
  isTimeSchema,
  unwrapField,
  type PurposeOption,
} from './schema-form';
import styles from '../canvas.module.css';

export interface FormContext {
  purposes: PurposeOption[];
  /** The whole config, for pickers that depend on a sibling (themes of the chosen purpose). */
  config: Record<string, unknown>;
  errors: Map<string, string[]>;
  disabled: boolean;
}

interface FieldProps {
  name: string;
  path: string[];
  schema: z.ZodType;
  value: unknown;
  onChange: (value: unknown) => void;
  ctx: FormContext;
}

/** Renders the fields of an object schema (or a discriminated union of them). */
export function ObjectFields({
  schema,
  value,
  onChange,
  path,
  ctx,
}: {
  schema: z.ZodType;
  value: unknown;
  onChange: (value: unknown) => void;
  path: string[];
  ctx: FormContext;
}) {
  const record = asRecord(value);
  const discriminator = discriminatorOf(schema);
  if (discriminator && schema instanceof z.ZodDiscriminatedUnion) {
    const variants = schema.options as z.ZodObject[];
    const current =
      variants.find((variant) => {
        const literal = variant.shape[discriminator];
        return literal instanceof z.ZodLiteral && literal.value === record[discriminator];
      }) ?? variants[0];
    return (
      <>
        <FieldShell name={discriminator} path={path} ctx={ctx} label={humanize(discriminator)}>
          {(id, describedBy) => (
            <select
              id={id}
              aria-describedby={describedBy}
              value={String(record[discriminator] ?? '')}
              disabled={ctx.disabled}
              onChange={(event) => {
                const variant = variants.find(
                  (v) => (v.shape[discriminator] as z.ZodLiteral).value === event.target.value,
                );
                if (variant) onChange(initialValue(variant));
              }}
            >
              {variants.map((variant) => {
                const literal = (variant.shape[discriminator] as z.ZodLiteral).value as string;
                return (
                  <option key={literal} value={literal}>
                    {variant.description ?? humanize(literal)}
                  </option>
                );
              })}
            </select>
          )}
        </FieldShell>
        <ObjectFields
          schema={current}
          value={value}
          onChange={onChange}
          path={path}
          ctx={ctx}
          key={String(record[discriminator])}
        />
      </>
    );
  }
  if (!(schema instanceof z.ZodObject)) return null;
  const shape = schema.shape as Record<string, z.ZodType>;
  return (
    <>
      {Object.entries(shape).map(([key, field]) => {
        if (key === discriminator) return null;
        if (field instanceof z.ZodLiteral && key === 'mode') return null;
        return (
          <FieldEditor
            key={key}
            name={key}
            path={[...path, key]}
            schema={field}
            value={record[key]}
            ctx={ctx}
            onChange={(next) => {
              const copy = { ...record };
              if (next === undefined) delete copy[key];
              else copy[key] = next;
              onChange(copy);
            }}
          />
        );
      })}
    </>
  );
}

function FieldShell({
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
  const errors = ctx.errors.get(path.join('.')) ?? [];
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = errors.length ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div data-field={path.join('.')}>
      <label htmlFor={id}>{label}</label>
      {children(id, describedBy)}
      {hint && (
        <p className={styles.hint} id={hintId}>
          {hint}
        </p>
      )}
      {errors.length > 0 && (
        <p className="field-error" id={errorId} role="alert">
          {errors.join('; ')}
        </p>
      )}
    </div>
  );
}

function FieldEditor({ name, path, schema, value, onChange, ctx }: FieldProps) {
  const { inner, optional, defaultValue, description } = unwrapField(schema);
  const label = humanize(name);
  const current = value === undefined ? defaultValue : value;

  // Custom widgets first: they know the workspace (purposes, themes, recipients).
  if (inner instanceof z.ZodString && name === 'purpose') {
    return (
      <FieldShell name={name} path={path} ctx={ctx} label="Purpose" hint={description}>
        {(id, describedBy) => (
          <PurposePicker
            id={id}
            describedBy={describedBy}
            value={current}
            onChange={onChange}
            ctx={ctx}
            optional={optional}
          />
        )}
      </FieldShell>
    );
  }
  if (inner instanceof z.ZodString && (name === 'theme' || name === 'recipient')) {
    const options = name === 'theme' ? themeOptions(ctx) : recipientOptions(ctx);
    return (
      <FieldShell name={name} path={path} ctx={ctx} label={label} hint={description}>
        {(id, describedBy) => (
          <select
            id={id}
            aria-describedby={describedBy}
            value={typeof current === 'string' ? current : ''}
            disabled={ctx.disabled}
            onChange={(event) => onChange(event.target.value || undefined)}
          >
            <option value="">{optional ? '(none)' : `Choose a ${name}`}</option>
            {options.map((option) => (
              <option key={option.key} value={option.key}>
                {option.label}
              </option>
            ))}
          </select>
        )}
      </FieldShell>
    );
  }
  if (inner instanceof z.ZodArray && name === 'themes') {
    const chosen = Array.isArray(current) ? (current as string[]) : [];
    const options = themeOptions(ctx);
    return (
      <fieldset data-field={path.join('.')}>
        <legend>Themes</legend>
        {options.length === 0 && <p className={styles.hint}>This purpose has no themes.</p>}
        {options.map((option) => (
          <label key={option.key} style={{ fontWeight: 400 }}>
            <input
              type="checkbox"
              checked={chosen.includes(option.key)}
              disabled={ctx.disabled}
              onChange={(event) =>
                onChange(
                  event.target.checked ? [...chosen, option.key] : chosen.filter((k) => k !== option.key),
                )
              }
            />{' '}
            {option.label}
          </label>
        ))}
        {description && <p className={styles.hint}>{description}</p>}
        <InlineErrors path={path} ctx={ctx} />
      </fieldset>
    );
  }
  if (isConditionGroupSchema(inner)) {
    return (
      <fieldset data-field={path.join('.')}>
        <legend>{label}</legend>
        {optional && current === undefined ? (
          <button
            type="button"
            disabled={ctx.disabled}
            onClick={() => onChange({ match: 'all', conditions: [] })}
          >
            Add a rule
          </button>
        ) : (
          <ConditionBuilder value={current} onChange={onChange} ctx={ctx} path={path} />
        )}
        {description && <p className={styles.hint}>{description}</p>}
      </fieldset>
    );
  }

  if (inner instanceof z.ZodObject || inner instanceof z.ZodDiscriminatedUnion) {
    const enabled = current !== undefined;
    return (
      <fieldset data-field={path.join('.')}>
        <legend>{label}</legend>
        {optional && (
          <label style={{ fontWeight: 400 }}>
            <input
              type="checkbox"
              checked={enabled}
              disabled={ctx.disabled}
              onChange={(event) => onChange(event.target.checked ? initialValue(inner) : undefined)}
            />{' '}
            Use {label.toLowerCase()}
          </label>
        )}
        {description && <p className={styles.hint}>{description}</p>}
        {enabled && <ObjectFields schema={inner} value={current} onChange={onChange} path={path} ctx={ctx} />}
        <InlineErrors path={path} ctx={ctx} />
      </fieldset>
    );
  }

  if (inner instanceof z.ZodArray) {
    const element = inner.element as z.ZodType;
    const items = Array.isArray(current) ? current : [];
    if (element instanceof z.ZodEnum) {
      return (
        <fieldset data-field={path.join('.')}>
          <legend>{label}</legend>
          {(element.options as string[]).map((option) => (
            <label key={option} style={{ fontWeight: 400 }}>
              <input
                type="checkbox"
                checked={items.includes(option)}
                disabled={ctx.disabled}
                onChange={(event) =>
                  onChange(
                    event.target.checked ? [...items, option] : items.filter((item) => item !== option),
                  )
                }
              />{' '}
              {option}
            </label>
          ))}
          {description && <p className={styles.hint}>{description}</p>}
          <InlineErrors path={path} ctx={ctx} />
        </fieldset>
      );
    }
    return (
      <fieldset data-field={path.join('.')}>
        <legend>{label}</legend>
        {description && <p className={styles.hint}>{description}</p>}
        {items.map((item, index) => (
          <div key={index} className={styles.conditionRow}>
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
              Remove
            </button>
          </div>
        ))}
        <button
          type="button"
          disabled={ctx.disabled}
          onClick={() => onChange([...items, initialValue(element)])}
        >
          Add {label.toLowerCase().replace(/s$/, '')}
        </button>
        <InlineErrors path={path} ctx={ctx} />
      </fieldset>
    );
  }

  return (
    <FieldShell name={name} path={path} ctx={ctx} label={label} hint={description}>
      {(id, describedBy) => (
        <ScalarInput
          id={id}
          describedBy={describedBy}
          name={name}
          schema={inner}
          optional={optional}
          value={current}
          onChange={onChange}
          disabled={ctx.disabled}
        />
      )}
    </FieldShell>
  );
}

function ScalarInput({
  id,
  describedBy,
  name,
  schema,
  optional,
  value,
  onChange,
  disabled,
}: {
  id: string;
  describedBy: string | undefined;
  name: string;
  schema: z.ZodType;
  optional: boolean;
  value: unknown;
  onChange: (value: unknown) => void;
  disabled: boolean;
}) {
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
            {option}
          </option>
        ))}
      </select>
    );
  }
  if (schema instanceof z.ZodLiteral) {
    return <input {...common} type="text" readOnly value={String(schema.value)} />;
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
  if (schema instanceof z.ZodString && isTimeSchema(schema)) {
    return (
      <input
        {...common}
        type="time"
        value={typeof value === 'string' ? value : ''}
        onChange={(e) => onChange(e.target.value || undefined)}
      />
    );
  }
  if (schema instanceof z.ZodString && (name === 'body' || name === 'evidence')) {
    return (
      <textarea
        {...common}
        rows={name === 'body' ? 7 : 3}
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

function PurposePicker({
  id,
  describedBy,
  value,
  onChange,
  ctx,
  optional,
}: {
  id: string;
  describedBy: string | undefined;
  value: unknown;
  onChange: (value: unknown) => void;
  ctx: FormContext;
  optional: boolean;
}) {
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

function themeOptions(ctx: FormContext): { key: string; label: string }[] {
  const purposeKey = ctx.config.purpose;
  const purposes =
    typeof purposeKey === 'string' && purposeKey
      ? ctx.purposes.filter((p) => p.key === purposeKey)
      : ctx.purposes;
  return purposes.flatMap((purpose) =>
    purpose.themes.map((theme) => ({
      key: theme.key,
      label: purposes.length > 1 ? `${theme.name} (${purpose.name})` : theme.name,
    })),
  );
}

function recipientOptions(ctx: FormContext): { key: string; label: string }[] {
  const purposeKey = ctx.config.purpose;
  const purposes =
    typeof purposeKey === 'string' && purposeKey
      ? ctx.purposes.filter((p) => p.key === purposeKey)
      : ctx.purposes;
  return purposes.flatMap((purpose) =>
    purpose.recipients.map((recipient) => ({
      key: recipient.key,
      label: `${recipient.name} (${purpose.name})`,
    })),
  );
}

export function InlineErrors({ path, ctx }: { path: string[]; ctx: FormContext }) {
  const errors = ctx.errors.get(path.join('.')) ?? [];
  if (errors.length === 0) return null;
  return (
    <p className="field-error" role="alert">
      {errors.join('; ')}
    </p>
  );
}
