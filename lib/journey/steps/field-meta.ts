import { z } from 'zod';

/**
 * What the step settings panel needs to know about a config field, attached to the shared zod
 * schemas with `.meta()`: the marketer's words (label, help, option labels) and which input to
 * use. The inspector picks widgets from this, never from field names.
 */
export type FieldWidget =
  /** A purpose of the workspace, with its legal basis. */
  | 'purpose'
  /** One theme of the chosen purpose (or of any purpose). */
  | 'theme'
  /** Several themes of the chosen purpose, as checkboxes. */
  | 'themes'
  /** A recipient named under the chosen purpose. */
  | 'recipient'
  /** A customer attribute name: a list of names seen in the data, free text allowed. */
  | 'attribute'
  /** An event name: a list of names seen in the data, free text allowed. */
  | 'event-name'
  /** A number of `unit`s shown as minutes, hours or days. */
  | 'duration'
  /** Several lines of text. */
  | 'textarea'
  /** A time of day (HH:MM). */
  | 'time'
  /** A message body; the message editor may replace this widget. */
  | 'message-body'
  /** A designed message (variants per language); the message editor renders it. */
  | 'message-content'
  /** A group of conditions (the condition builder). */
  | 'conditions'
  /** A split's weights per branch and holdout, shown as shares (the weights editor). */
  | 'split-weights';

export type DurationUnit = 'minutes' | 'hours' | 'days';

export interface FieldMeta {
  label?: string;
  help?: string;
  widget?: FieldWidget;
  /** Labels of enum values (or discriminated-union variants), in the marketer's words. */
  options?: Record<string, string>;
  /** The unit the stored number counts (duration widget). */
  unit?: DurationUnit;
  /** Show the field only while a sibling field has one of these values (e.g. the chosen mode). */
  showWhen?: { field: string; is: readonly string[] };
  /** Never shown in the form (set by the system or fixed). */
  hidden?: boolean;
}

// `.meta({ label, widget, ... })` on any schema is type-checked against FieldMeta.
declare module 'zod' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface GlobalMeta extends FieldMeta {}
}

/** The metadata of a schema, including what wrappers (optional, default) and clones inherited. */
export function fieldMeta(schema: z.ZodType): FieldMeta {
  let merged: FieldMeta = {};
  // Outer wrappers win: `x.meta({ label }).optional().meta({ help })` has both.
  for (let current: z.ZodType | undefined = schema; current;) {
    merged = { ...((z.globalRegistry.get(current) ?? {}) as FieldMeta), ...merged };
    current =
      current instanceof z.ZodOptional || current instanceof z.ZodDefault
        ? (current.unwrap() as z.ZodType)
        : undefined;
  }
  return merged;
}

/** Whether a field is shown for the current values of its object. */
export function fieldShown(meta: FieldMeta, siblings: Record<string, unknown>): boolean {
  if (meta.hidden) return false;
  if (!meta.showWhen) return true;
  const value = siblings[meta.showWhen.field];
  return typeof value === 'string' && meta.showWhen.is.includes(value);
}

/** The label of an option value, or the value itself when the schema names none. */
export function optionLabel(meta: FieldMeta, value: string): string {
  return meta.options?.[value] ?? value;
}

const MINUTES_PER: Record<DurationUnit, number> = { minutes: 1, hours: 60, days: 60 * 24 };

/** A stored amount of `unit`s as the largest whole unit, e.g. 4320 minutes -> 3 days. */
export function splitDuration(amount: number, unit: DurationUnit): { value: number; unit: DurationUnit } {
  const minutes = amount * MINUTES_PER[unit];
  for (const candidate of ['days', 'hours'] as const) {
    if (MINUTES_PER[candidate] < MINUTES_PER[unit]) continue;
    if (minutes > 0 && minutes % MINUTES_PER[candidate] === 0) {
      return { value: minutes / MINUTES_PER[candidate], unit: candidate };
    }
  }
  return { value: amount, unit };
}

/** `value` `shown` units back to the stored unit (rounded to a whole stored unit). */
export function joinDuration(value: number, shown: DurationUnit, stored: DurationUnit): number {
  return Math.round((value * MINUTES_PER[shown]) / MINUTES_PER[stored]);
}

/** "3 days", "90 minutes", "1 hour". */
export function formatDuration(amount: number, unit: DurationUnit): string {
  const { value, unit: shown } = splitDuration(amount, unit);
  const singular = shown.slice(0, -1);
  return `${value} ${value === 1 ? singular : shown}`;
}

/** Units a duration field offers: its stored unit and the larger ones. */
export function durationUnits(stored: DurationUnit): DurationUnit[] {
  return (['minutes', 'hours', 'days'] as const).filter((unit) => MINUTES_PER[unit] >= MINUTES_PER[stored]);
}

function unwrapped(schema: z.ZodType): z.ZodType {
  let current = schema;
  while (current instanceof z.ZodOptional || current instanceof z.ZodDefault)
    current = current.unwrap() as z.ZodType;
  return current;
}

/**
 * A config path in the marketer's words, for error messages: ["rule", "conditions", 0, "purpose"]
 * becomes "Rule, condition 1, Purpose" (labels from the schema's metadata).
 */
export function describeFieldPath(schema: z.ZodType, path: readonly PropertyKey[]): string {
  const parts: string[] = [];
  let current: z.ZodType | undefined = schema;
  for (const [index, key] of path.entries()) {
    const inner: z.ZodType | undefined = current ? unwrapped(current) : undefined;
    if (typeof key === 'number') {
      const element: z.ZodType | undefined =
        inner instanceof z.ZodArray ? (inner.element as z.ZodType) : undefined;
      const noun = (element && fieldMeta(element).label?.toLowerCase()) || 'item';
      parts.push(`${noun} ${key + 1}`);
      current = element;
      continue;
    }
    const name = String(key);
    let field: z.ZodType | undefined;
    if (inner instanceof z.ZodObject) field = (inner.shape as Record<string, z.ZodType>)[name];
    else if (inner instanceof z.ZodDiscriminatedUnion) {
      for (const option of inner.options as z.ZodType[]) {
        if (option instanceof z.ZodObject && name in option.shape) {
          field = (option.shape as Record<string, z.ZodType>)[name];
          break;
        }
      }
    }
    // "conditions, condition 1" says it twice: a list is named by its item.
    if (typeof path[index + 1] !== 'number') {
      parts.push(field ? (fieldMeta(field).label ?? humanizeKey(name)) : humanizeKey(name));
    }
    current = field;
  }
  return parts.join(', ');
}

/** "reentryPolicy" -> "Reentry policy": the last resort when a field has no label. */
export function humanizeKey(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[-_]/g, ' ')
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
