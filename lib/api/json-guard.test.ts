import { describe, expect, it } from 'vitest';
import { findJsonProblem, MAX_JSON_DEPTH } from './json-guard';

const nested = (depth: number): unknown => {
  let value: unknown = 'leaf';
  for (let i = 0; i < depth; i++) value = { a: value };
  return value;
};

describe('findJsonProblem', () => {
  it('accepts ordinary bodies', () => {
    expect(
      findJsonProblem({ email: 'a@b.example', properties: { plan: 'pro', tags: ['x', 'ü', '😀'] } }),
    ).toBeNull();
    expect(findJsonProblem(nested(MAX_JSON_DEPTH))).toBeNull();
  });

  it('names the field nested too deep, without overflowing on a very deep body', () => {
    expect(findJsonProblem({ properties: nested(40) })).toMatchObject({
      field: `properties${'.a'.repeat(MAX_JSON_DEPTH - 1)}`,
    });
    let deep: unknown = [];
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(findJsonProblem(deep)?.message).toMatch(/nested deeper than 32 levels/);
  });

  it('names a string or key with NUL or an unpaired surrogate', () => {
    expect(findJsonProblem({ name: 'Ann\u0000a' })).toEqual({
      field: 'name',
      message: 'name: must not contain a NUL character',
    });
    expect(findJsonProblem({ list: ['ok', 'bad\ud800'] })).toMatchObject({ field: 'list.1' });
    expect(findJsonProblem({ props: { 'k\u0000': 1 } })).toMatchObject({ field: 'props' });
  });
});
