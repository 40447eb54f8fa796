import { z } from 'zod';
import { fieldMeta } from '@/lib/journey';

/** Helpers that read the shared zod config schemas so the inspector never restates a step's fields. */

export type PurposeOption = {
  key: string;
  name: string;
  legalBasis: string;
  themes: { key: string; name: string }[];
  recipients: { key: string; name: string }[];
};

/** Strips optional/default wrappers: what kind of value the field really holds. */
export function unwrapField(schema: z.ZodType): {
  inner: z.ZodType;
  optional: boolean;
  defaultValue?: unknown;
  description?: string;
} {
  let inner = schema;
  let optional = false;
  let defaultValue: unknown;
  let description = schema.description;
  for (;;) {
    if (inner instanceof z.ZodOptional) {
      optional = true;
      inner = inner.unwrap() as z.ZodType;
    } else if (inner instanceof z.ZodDefault) {
      defaultValue = (inner.def as { defaultValue: unknown }).defaultValue;
      inner = inner.unwrap() as z.ZodType;
    } else break;
    description ??= inner.description;
  }
  return { inner, optional, defaultValue, description: description ?? inner.description };
}

/** A starting value for a field the marketer switches on (e.g. quiet hours). */
export function initialValue(schema: z.ZodType): unknown {
  const { inner, defaultValue } = unwrapField(schema);
  if (defaultValue !== undefined) return structuredClone(defaultValue);
  if (inner instanceof z.ZodObject) {
    const value: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(inner.shape as Record<string, z.ZodType>)) {
      const unwrapped = unwrapField(field);
      if (unwrapped.optional && unwrapped.defaultValue === undefined) continue;
      value[key] = initialValue(field);
    }
    return value;
  }
  if (inner instanceof z.ZodEnum) return inner.options[0];
  if (inner instanceof z.ZodLiteral) return inner.value;
  if (inner instanceof z.ZodArray) return [];
  if (inner instanceof z.ZodNumber) return Math.max(0, inner.minValue ?? 0);
  if (inner instanceof z.ZodBoolean) return false;
  if (inner instanceof z.ZodString) return fieldMeta(schema).widget === 'time' ? '09:00' : '';
  if (inner instanceof z.ZodDiscriminatedUnion) return initialValue(inner.options[0] as z.ZodType);
  return undefined;
}

export function discriminatorOf(schema: z.ZodType): string | undefined {
  return schema instanceof z.ZodDiscriminatedUnion
    ? (schema.def as unknown as { discriminator: string }).discriminator
    : undefined;
}

/** Issues of a config keyed by dotted path ("quietHours.start"), for inline field errors. */
export function configErrors(schema: z.ZodType, config: unknown): Map<string, string[]> {
  const errors = new Map<string, string[]>();
  const result = schema.safeParse(config);
  if (result.success) return errors;
  for (const issue of result.error.issues) {
    const key = issue.path.map(String).join('.');
    errors.set(key, [...(errors.get(key) ?? []), issue.message]);
  }
  return errors;
}

export function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

/** Variables a message may use; the preview fills them with a sample customer. */
export const MESSAGE_VARIABLES: { name: string; sample: string }[] = [
  { name: 'firstName', sample: 'Aino' },
  { name: 'name', sample: 'Aino Virtanen' },
  { name: 'email', sample: 'aino@example.com' },
];

export function renderPreview(template: string): string {
  const samples = new Map(MESSAGE_VARIABLES.map((v) => [v.name, v.sample]));
  return template.replace(
    /\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g,
    (whole, name: string) => samples.get(name) ?? whole,
  );
}

export function variablesIn(template: string): string[] {
  return [...new Set([...template.matchAll(/\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g)].map((m) => m[1]))];
}
