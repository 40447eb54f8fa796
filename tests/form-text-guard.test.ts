import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseForm } from '@/app/_lib/form';

const schema = z.object({ name: z.string(), note: z.string().optional() });

function form(entries: [string, string][]): FormData {
  const data = new FormData();
  for (const [name, value] of entries) data.append(name, value);
  return data;
}

describe('staff forms refuse text the database cannot store', () => {
  it('names the field holding a NUL character', () => {
    const result = parseForm(
      schema,
      form([
        ['name', 'Ada'],
        ['note', 'a\u0000b'],
      ]),
    );
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatchObject({ code: 'invalid_field', field: 'note' });
  });

  // An unpaired surrogate cannot arrive here: FormData (like a browser's UTF-8 form post) turns it
  // into U+FFFD before the action sees it; JSON bodies are checked for it in lib/api/json-guard.
  it('accepts ordinary text, emoji included', () => {
    const result = parseForm(schema, form([['name', 'Åsa 🌱']]));
    expect(result).toMatchObject({ ok: true, value: { name: 'Åsa 🌱' } });
  });
});
