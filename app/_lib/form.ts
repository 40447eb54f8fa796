import { z } from 'zod';
import { textProblem } from '@/lib/api/json-guard';
import { err, fieldFailure, ok, type Failure, type Result } from '@/lib/result';

/**
 * Server actions parse their FormData with zod like routes parse JSON: the form becomes a plain
 * object (a name sent once → a string, sent several times → an array; Next's own `$ACTION_*`
 * fields left out) and the schema decides what is valid, naming the first wrong field.
 */
export function formObject(form: FormData): Record<string, string | string[]> {
  const object: Record<string, string | string[]> = {};
  for (const name of new Set(form.keys())) {
    if (name.startsWith('$')) continue;
    const values = form.getAll(name).filter((value): value is string => typeof value === 'string');
    if (values.length > 0) object[name] = values.length === 1 ? values[0]! : values;
  }
  return object;
}

export function parseForm<T>(schema: z.ZodType<T>, form: FormData): Result<T, Failure<'invalid_field'>> {
  const object = formObject(form);
  // Text the database cannot store as sent (NUL, unpaired surrogates) is refused by name, as JSON
  // bodies are (lib/api/json-guard), instead of failing later inside a write.
  for (const [field, value] of Object.entries(object)) {
    const problem = [value].flat().map(textProblem).find(Boolean);
    if (problem) return err('invalid_field', `This field ${problem}`, { field });
  }
  const parsed = schema.safeParse(object);
  if (parsed.success) return ok(parsed.data);
  // A form shows the message beside its field, so the message does not repeat the field's name.
  const { field } = fieldFailure(parsed.error.issues);
  return err('invalid_field', parsed.error.issues[0]?.message ?? 'Check the form', { field });
}

/** A field that may be sent any number of times (checkboxes with one name): always an array. */
export function formList<T extends z.ZodType>(item: T) {
  return z.preprocess((value) => (value === undefined ? [] : [value].flat()), z.array(item));
}

/** A positive integer id sent as text. */
export const formId = z.coerce.number().int().positive();

/** Optional text: trimmed, empty means absent. */
export const formText = (max: number) =>
  z
    .string()
    .max(max)
    .optional()
    .transform((value) => value?.trim() || undefined);

/** A failure with a message for a form that checks something zod cannot (a confirmation word). */
export const formRefusal = (message: string, field?: string) => err('invalid_field', message, { field });
