'use client';
import { z } from 'zod';
import { fieldMeta, fieldShown, humanizeKey, optionLabel } from '@/lib/journey';
import { ConditionBuilder } from './ConditionBuilder';
import { DurationInput } from './fields/DurationInput';
import {
  FieldShell,
  InlineErrors,
  type FormContext,
  type GroupProps,
  type InputProps,
} from './fields/FieldShell';
import { ListField, OptionalGroup } from './fields/ListField';
import { KeyedSelect, NamePicker, PurposePicker, recipientOptions, themeOptions } from './fields/pickers';
import { ScalarInput } from './fields/ScalarInput';
import { SplitWeightsEditor } from './fields/SplitWeights';
import { asRecord, discriminatorOf, initialValue, unwrapField } from './schema-form';
import styles from '../canvas.module.css';

export type { FormContext, Vocabulary } from './fields/FieldShell';
export { InlineErrors } from './fields/FieldShell';

/**
 * The step settings form, generated from the step's shared zod config schema. Labels, help
 * texts, option labels and the widget of each field come from the schema's `.meta()`
 * (lib/journey/steps/field-meta.ts); this file only maps widgets to inputs.
 */
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
    return (
      <VariantFields
        schema={schema}
        discriminator={discriminator}
        record={record}
        onChange={onChange}
        path={path}
        ctx={ctx}
      />
    );
  }
  if (!(schema instanceof z.ZodObject)) return null;
  const shape = schema.shape as Record<string, z.ZodType>;
  return (
    <>
      {Object.entries(shape).map(([key, field]) => {
        // Fixed values (a union's discriminator, a single channel) are not choices.
        if (field instanceof z.ZodLiteral) return null;
        if (!fieldShown(fieldMeta(field), record)) return null;
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

/** A discriminated union: one choice (labelled by the union's metadata), then the chosen variant's fields. */
function VariantFields({
  schema,
  discriminator,
  record,
  onChange,
  path,
  ctx,
}: {
  schema: z.ZodDiscriminatedUnion;
  discriminator: string;
  record: Record<string, unknown>;
  onChange: (value: unknown) => void;
  path: string[];
  ctx: FormContext;
}) {
  const variants = schema.options as z.ZodObject[];
  const literalOf = (variant: z.ZodObject) => (variant.shape[discriminator] as z.ZodLiteral).value as string;
  const current = variants.find((variant) => literalOf(variant) === record[discriminator]) ?? variants[0];
  const meta = fieldMeta(schema);
  return (
    <>
      <FieldShell
        name={discriminator}
        path={[...path, discriminator]}
        ctx={ctx}
        label={meta.label ?? humanizeKey(discriminator)}
      >
        {(id, describedBy) => (
          <select
            id={id}
            aria-describedby={describedBy}
            value={String(record[discriminator] ?? '')}
            disabled={ctx.disabled}
            onChange={(event) => {
              const variant = variants.find((v) => literalOf(v) === event.target.value);
              if (variant) onChange(initialValue(variant));
            }}
          >
            {variants.map((variant) => (
              <option key={literalOf(variant)} value={literalOf(variant)}>
                {fieldMeta(variant).label ?? optionLabel(meta, literalOf(variant))}
              </option>
            ))}
          </select>
        )}
      </FieldShell>
      <ObjectFields
        schema={current}
        value={record}
        onChange={onChange}
        path={path}
        ctx={ctx}
        key={String(record[discriminator])}
      />
    </>
  );
}

export interface FieldProps {
  name: string;
  path: string[];
  schema: z.ZodType;
  value: unknown;
  onChange: (value: unknown) => void;
  ctx: FormContext;
}

export function FieldEditor({ name, path, schema, value, onChange, ctx }: FieldProps) {
  const { inner, optional, defaultValue } = unwrapField(schema);
  const meta = fieldMeta(schema);
  const label = meta.label ?? humanizeKey(name);
  const hint = meta.help;
  const current = value === undefined ? defaultValue : value;
  const shell = (input: (props: InputProps) => React.ReactNode) => (
    <FieldShell name={name} path={path} ctx={ctx} label={label} hint={hint}>
      {(id, describedBy) => input({ id, describedBy, value: current, onChange })}
    </FieldShell>
  );
  const group: GroupProps = { path, label, hint, value: current, onChange, ctx };

  switch (meta.widget) {
    case 'purpose':
      return shell((input) => <PurposePicker {...input} ctx={ctx} optional={optional} />);
    case 'theme':
    case 'recipient':
      return shell((input) => (
        <KeyedSelect
          {...input}
          ctx={ctx}
          optional={optional}
          options={meta.widget === 'theme' ? themeOptions(ctx) : recipientOptions(ctx)}
          placeholder={meta.widget === 'theme' ? 'Choose a theme' : 'Choose a recipient'}
        />
      ));
    case 'attribute':
    case 'event-name':
      return shell((input) => (
        <NamePicker
          {...input}
          disabled={ctx.disabled}
          suggestions={
            (meta.widget === 'attribute' ? ctx.vocabulary?.attributes : ctx.vocabulary?.events) ?? []
          }
        />
      ));
    case 'duration':
      return shell((input) => (
        <DurationInput {...input} stored={meta.unit ?? 'minutes'} disabled={ctx.disabled} />
      ));
    case 'themes':
      return <ThemeChecklist {...group} />;
    case 'split-weights':
      return <SplitWeightsEditor {...group} />;
    case 'conditions':
      return (
        <fieldset data-field={path.join('.')}>
          <legend>{label}</legend>
          {hint && <p className={styles.hint}>{hint}</p>}
          {optional && current === undefined ? (
            <button
              type="button"
              disabled={ctx.disabled}
              onClick={() => onChange({ match: 'all', conditions: [] })}
            >
              Add a filter
            </button>
          ) : (
            <ConditionBuilder value={current} onChange={onChange} ctx={ctx} path={path} />
          )}
        </fieldset>
      );
  }

  if (inner instanceof z.ZodObject || inner instanceof z.ZodDiscriminatedUnion)
    return <OptionalGroup {...group} schema={inner} optional={optional} />;
  if (inner instanceof z.ZodArray) return <ListField {...group} schema={inner} meta={meta} />;
  return shell((input) => (
    <ScalarInput {...input} schema={inner} meta={meta} optional={optional} disabled={ctx.disabled} />
  ));
}

function ThemeChecklist({ path, label, hint, value, onChange, ctx }: GroupProps) {
  const chosen = Array.isArray(value) ? (value as string[]) : [];
  const options = themeOptions(ctx);
  return (
    <fieldset data-field={path.join('.')}>
      <legend>{label}</legend>
      {options.length === 0 && <p className={styles.hint}>This purpose has no themes.</p>}
      {options.map((option) => (
        <label key={option.key} className={styles.checkLabel}>
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
      {hint && options.length > 0 && <p className={styles.hint}>{hint}</p>}
      <InlineErrors path={path} ctx={ctx} />
    </fieldset>
  );
}
