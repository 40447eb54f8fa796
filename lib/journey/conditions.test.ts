import { describe, expect, it } from 'vitest';
import {
  conditionGroupSchema,
  describeConditionGroup,
  evaluateConditionGroup,
  purposesInConditionGroup,
  type ConditionFacts,
  type ConditionGroup,
} from './conditions';

const now = new Date('2025-06-01T12:00:00Z');
const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000);

const facts: ConditionFacts = {
  attributes: { country: 'DE', age: '42', vip: true, tags: ['gold', 'early'], empty: '' },
  consents: { newsletter: 'granted', offers: 'withdrawn' },
  events: [
    { name: 'order-placed', occurredAt: daysAgo(3) },
    { name: 'signed-up', occurredAt: daysAgo(90) },
  ],
  now,
};

const holds = (group: ConditionGroup) => evaluateConditionGroup(group, facts);
const all = (...conditions: ConditionGroup['conditions']): ConditionGroup => ({ match: 'all', conditions });
const any = (...conditions: ConditionGroup['conditions']): ConditionGroup => ({ match: 'any', conditions });

describe('evaluateConditionGroup', () => {
  it('compares attributes, treating numeric strings as numbers', () => {
    expect(holds(all({ kind: 'attribute', key: 'country', op: 'eq', value: 'DE' }))).toBe(true);
    expect(holds(all({ kind: 'attribute', key: 'age', op: 'eq', value: 42 }))).toBe(true);
    expect(holds(all({ kind: 'attribute', key: 'age', op: 'gt', value: 40 }))).toBe(true);
    expect(holds(all({ kind: 'attribute', key: 'age', op: 'lt', value: 40 }))).toBe(false);
    expect(holds(all({ kind: 'attribute', key: 'country', op: 'neq', value: 'AT' }))).toBe(true);
    expect(holds(all({ kind: 'attribute', key: 'vip', op: 'eq', value: true }))).toBe(true);
  });

  it('matches contains in strings case-insensitively and in lists by element', () => {
    expect(holds(all({ kind: 'attribute', key: 'country', op: 'contains', value: 'd' }))).toBe(true);
    expect(holds(all({ kind: 'attribute', key: 'tags', op: 'contains', value: 'gold' }))).toBe(true);
    expect(holds(all({ kind: 'attribute', key: 'tags', op: 'contains', value: 'silver' }))).toBe(false);
  });

  it('treats missing, null and empty attributes as not existing', () => {
    expect(holds(all({ kind: 'attribute', key: 'country', op: 'exists' }))).toBe(true);
    expect(holds(all({ kind: 'attribute', key: 'empty', op: 'exists' }))).toBe(false);
    expect(holds(all({ kind: 'attribute', key: 'nope', op: 'exists' }))).toBe(false);
    expect(holds(all({ kind: 'attribute', key: 'nope', op: 'gt', value: 1 }))).toBe(false);
  });

  it('reads consent state, with unknown purposes counting as not asked', () => {
    expect(holds(all({ kind: 'consent', purpose: 'newsletter', state: 'granted' }))).toBe(true);
    expect(holds(all({ kind: 'consent', purpose: 'offers', state: 'granted' }))).toBe(false);
    expect(holds(all({ kind: 'consent', purpose: 'partner', state: 'not-asked' }))).toBe(true);
  });

  it('counts events only inside the withinDays window', () => {
    expect(holds(all({ kind: 'event', name: 'signed-up' }))).toBe(true);
    expect(holds(all({ kind: 'event', name: 'signed-up', withinDays: 30 }))).toBe(false);
    expect(holds(all({ kind: 'event', name: 'order-placed', withinDays: 7 }))).toBe(true);
    expect(holds(all({ kind: 'event', name: 'never-happened' }))).toBe(false);
  });

  it('needs every condition for "all" and one for "any"', () => {
    const granted = { kind: 'consent', purpose: 'newsletter', state: 'granted' } as const;
    const withdrawn = { kind: 'consent', purpose: 'newsletter', state: 'withdrawn' } as const;
    expect(holds(all(granted, withdrawn))).toBe(false);
    expect(holds(any(granted, withdrawn))).toBe(true);
  });

  it('lets an empty "all" group match everyone and an empty "any" group no one', () => {
    expect(holds(all())).toBe(true);
    expect(holds(any())).toBe(false);
  });
});

describe('conditionGroupSchema', () => {
  it('requires a value unless the operator is exists', () => {
    const result = conditionGroupSchema.safeParse(all({ kind: 'attribute', key: 'age', op: 'gt' }));
    expect(result.success).toBe(false);
    expect(result.error?.issues[0].path).toEqual(['conditions', 0, 'value']);
    expect(conditionGroupSchema.safeParse(all({ kind: 'attribute', key: 'age', op: 'exists' })).success).toBe(
      true,
    );
  });

  it('rejects unknown condition kinds and extra fields', () => {
    expect(conditionGroupSchema.safeParse({ match: 'all', conditions: [{ kind: 'weather' }] }).success).toBe(
      false,
    );
    expect(
      conditionGroupSchema.safeParse({
        match: 'all',
        conditions: [{ kind: 'event', name: 'x', extra: 1 }],
      }).success,
    ).toBe(false);
  });
});

describe('describing conditions', () => {
  it('lists the purposes a group refers to', () => {
    const group = any(
      { kind: 'consent', purpose: 'newsletter', state: 'granted' },
      { kind: 'event', name: 'x' },
      { kind: 'consent', purpose: 'offers', state: 'pending' },
    );
    expect(purposesInConditionGroup(group)).toEqual(['newsletter', 'offers']);
  });

  it('words a group in one line', () => {
    expect(
      describeConditionGroup(
        all(
          { kind: 'attribute', key: 'country', op: 'eq', value: 'DE' },
          { kind: 'event', name: 'x', withinDays: 7 },
        ),
      ),
    ).toBe('country is "DE" and had event x in the last 7 days');
    expect(describeConditionGroup(all())).toBe('everyone');
  });
});
