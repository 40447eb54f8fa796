import { describe, expect, it } from 'vitest';
import { conditionGroupSchema } from '../conditions';
import {
  describeFieldPath,
  fieldMeta,
  fieldShown,
  formatDuration,
  joinDuration,
  optionLabel,
  splitDuration,
} from './field-meta';
import { STEP_TYPES, getAnyStep } from './index';
import { z } from 'zod';

/** Every leaf field a form shows, with its path (variants of unions included). */
function leafFields(schema: z.ZodType, path: string[] = []): { path: string; schema: z.ZodType }[] {
  let inner = schema;
  while (inner instanceof z.ZodOptional || inner instanceof z.ZodDefault) inner = inner.unwrap() as z.ZodType;
  // A field with its own editor (condition builder, message editor) is one field of the form.
  const widget = fieldMeta(schema).widget;
  if ((widget === 'conditions' || widget === 'message-content' || widget === 'split-weights') && path.length)
    return [{ path: path.join('.'), schema }];
  if (inner instanceof z.ZodDiscriminatedUnion)
    return (inner.options as z.ZodType[]).flatMap((option) => leafFields(option, path));
  if (inner instanceof z.ZodObject)
    return Object.entries(inner.shape as Record<string, z.ZodType>).flatMap(([key, field]) =>
      field instanceof z.ZodLiteral ? [] : leafFields(field, [...path, key]),
    );
  if (inner instanceof z.ZodArray && inner.element instanceof z.ZodObject)
    return [{ path: path.join('.'), schema }, ...leafFields(inner.element as z.ZodType, [...path, '0'])];
  return [{ path: path.join('.'), schema }];
}

describe('field metadata', () => {
  it('gives every shown field of every step a label, and every enum option a label', () => {
    for (const type of STEP_TYPES) {
      for (const field of leafFields(getAnyStep(type).configSchema)) {
        const meta = fieldMeta(field.schema);
        if (meta.hidden) continue;
        expect(meta.label, `${type}.${field.path}`).toBeTruthy();
        let inner = field.schema;
        while (inner instanceof z.ZodOptional || inner instanceof z.ZodDefault)
          inner = inner.unwrap() as z.ZodType;
        const values =
          inner instanceof z.ZodEnum
            ? (inner.options as string[])
            : inner instanceof z.ZodArray && inner.element instanceof z.ZodEnum
              ? (inner.element.options as string[])
              : [];
        for (const value of values)
          expect(meta.options?.[value], `${type}.${field.path}=${value}`).toBeTruthy();
        // Help speaks without syntax: no JSON keys, no quoted values.
        if (meta.help) expect(meta.help, `${type}.${field.path}`).not.toMatch(/["{}]|e\.g\./);
      }
    }
  });

  it('keeps the metadata through optional(), default() and describe()', () => {
    const schema = z.string().meta({ label: 'Name', widget: 'attribute' }).optional().describe('x');
    expect(fieldMeta(schema)).toMatchObject({ label: 'Name', widget: 'attribute' });
  });

  it('hides the fields of the other mode', () => {
    const entry = getAnyStep('entry').configSchema as unknown as z.ZodObject;
    const eventName = fieldMeta((entry.shape as Record<string, z.ZodType>).eventName);
    expect(fieldShown(eventName, { mode: 'segment' })).toBe(false);
    expect(fieldShown(eventName, { mode: 'event' })).toBe(true);
  });

  it('names option values and config paths in words', () => {
    const attribute = conditionGroupSchema.shape.conditions.element.options[0];
    expect(optionLabel(fieldMeta(attribute.shape.op), 'neq')).toBe('is not');
    expect(
      describeFieldPath(getAnyStep('condition').configSchema, ['rule', 'conditions', 0, 'purpose']),
    ).toBe('Rule, condition 1, Purpose');
  });

  it('shows durations in the largest whole unit and stores them in the field unit', () => {
    expect(splitDuration(4320, 'minutes')).toEqual({ value: 3, unit: 'days' });
    expect(splitDuration(90, 'minutes')).toEqual({ value: 90, unit: 'minutes' });
    expect(splitDuration(72, 'hours')).toEqual({ value: 3, unit: 'days' });
    expect(formatDuration(60, 'minutes')).toBe('1 hour');
    expect(joinDuration(2, 'days', 'minutes')).toBe(2880);
    expect(joinDuration(1, 'days', 'hours')).toBe(24);
  });
});
