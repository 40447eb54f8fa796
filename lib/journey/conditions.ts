import { z } from 'zod';

/**
 * Conditions shared by the entry segment and the condition step, plus the one
 * evaluator both the executor and segment previews use, so a rule means the
 * same thing wherever it is checked.
 */

export const CONSENT_STATES = [
  'not-asked',
  'pending',
  'granted',
  'withdrawn',
  'expired',
  'objected',
] as const;
export type ConsentState = (typeof CONSENT_STATES)[number];
export const consentStateSchema = z
  .enum(CONSENT_STATES)
  .describe('Consent state of a customer for a purpose')
  .meta({
    label: 'Consent',
    options: {
      'not-asked': 'never asked',
      pending: 'asked, not confirmed yet',
      granted: 'given',
      withdrawn: 'withdrawn',
      expired: 'expired',
      objected: 'objected to',
    },
  });

export const purposeKeySchema = z
  .string()
  .trim()
  .min(1, 'Choose a purpose')
  .max(100)
  .describe('Purpose key, e.g. "newsletter"')
  .meta({ label: 'Purpose', widget: 'purpose' });

export const ATTRIBUTE_OPERATORS = ['eq', 'neq', 'contains', 'gt', 'lt', 'exists'] as const;
export type AttributeOperator = (typeof ATTRIBUTE_OPERATORS)[number];

const attributeConditionSchema = z
  .strictObject({
    kind: z.literal('attribute'),
    key: z
      .string()
      .trim()
      .min(1, 'Name the attribute')
      .max(100)
      .describe('Customer attribute key, e.g. "country"')
      .meta({
        label: 'Attribute',
        widget: 'attribute',
        help: 'A detail stored about the customer, such as country.',
      }),
    op: z
      .enum(ATTRIBUTE_OPERATORS)
      .describe('Comparison; "exists" needs no value')
      .meta({
        label: 'Comparison',
        options: {
          eq: 'equals',
          neq: 'is not',
          contains: 'contains',
          gt: 'greater than',
          lt: 'less than',
          exists: 'is set',
        },
      }),
    value: z
      .union([z.string().max(1000), z.number(), z.boolean()])
      .optional()
      .describe('Value to compare against (not used by "exists")')
      .meta({ label: 'Value', showWhen: { field: 'op', is: ['eq', 'neq', 'contains', 'gt', 'lt'] } }),
  })
  .superRefine((condition, ctx) => {
    if (condition.op !== 'exists' && condition.value === undefined) {
      ctx.addIssue({ code: 'custom', path: ['value'], message: 'Enter the value to compare with' });
    }
  })
  .describe('Compares a customer attribute')
  .meta({ label: 'A customer attribute' });

const consentConditionSchema = z
  .strictObject({
    kind: z.literal('consent'),
    purpose: purposeKeySchema,
    state: consentStateSchema,
  })
  .describe("Checks the customer's consent state for a purpose")
  .meta({ label: 'Consent for a purpose' });

const eventConditionSchema = z
  .strictObject({
    kind: z.literal('event'),
    name: z
      .string()
      .trim()
      .min(1, 'Name the event')
      .max(200)
      .describe('Event name, e.g. "order-placed"')
      .meta({
        label: 'Event',
        widget: 'event-name',
        help: 'Something the customer did, such as placing an order.',
      }),
    withinDays: z.number().positive().optional().describe('Only count events from the last N days').meta({
      label: 'Within the last … days',
      help: 'Leave empty to count the event whenever it happened.',
    }),
  })
  .describe('Checks whether the customer had an event')
  .meta({ label: 'An event' });

export const conditionSchema = z
  .discriminatedUnion('kind', [attributeConditionSchema, consentConditionSchema, eventConditionSchema])
  .describe('One condition')
  .meta({ label: 'Condition' });

export const conditionGroupSchema = z
  .strictObject({
    match: z
      .enum(['all', 'any'])
      .describe('"all": every condition must hold; "any": at least one')
      .meta({
        label: 'Customers match when',
        options: { all: 'all conditions hold', any: 'any condition holds' },
      }),
    conditions: z.array(conditionSchema).max(100).describe('The conditions').meta({ label: 'Conditions' }),
  })
  .describe('A group of conditions')
  .meta({ widget: 'conditions' });

export type Condition = z.infer<typeof conditionSchema>;
export type ConditionGroup = z.infer<typeof conditionGroupSchema>;

/** What the evaluator knows about one customer at one moment. */
export interface ConditionFacts {
  attributes: Record<string, unknown>;
  /** Purposes missing from the record count as "not-asked". */
  consents: Record<string, ConsentState>;
  events: readonly { name: string; occurredAt: Date }[];
  now: Date;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * An empty "all" group holds (an entry segment with no filter means everyone);
 * an empty "any" group does not, matching Array.every / Array.some.
 */
export function evaluateConditionGroup(group: ConditionGroup, facts: ConditionFacts): boolean {
  const holds = (condition: Condition) => evaluateCondition(condition, facts);
  return group.match === 'all' ? group.conditions.every(holds) : group.conditions.some(holds);
}

export function evaluateCondition(condition: Condition, facts: ConditionFacts): boolean {
  switch (condition.kind) {
    case 'attribute':
      return compareAttribute(facts.attributes[condition.key], condition.op, condition.value);
    case 'consent':
      return (facts.consents[condition.purpose] ?? 'not-asked') === condition.state;
    case 'event': {
      const since =
        condition.withinDays === undefined ? -Infinity : facts.now.getTime() - condition.withinDays * DAY_MS;
      return facts.events.some(
        (event) => event.name === condition.name && event.occurredAt.getTime() >= since,
      );
    }
    default: {
      const unhandled: never = condition;
      throw new Error(`Unhandled condition ${JSON.stringify(unhandled)}`);
    }
  }
}

type Comparable = string | number | boolean;

function isPresent(value: unknown): boolean {
  return value !== undefined && value !== null && value !== '';
}

/**
 * Attributes arrive from imports and APIs as strings as often as numbers, so
 * "42" equals 42 and numeric strings compare numerically; other strings compare
 * lexically, which orders ISO dates correctly.
 */
function compareAttribute(actual: unknown, op: AttributeOperator, expected: Comparable | undefined): boolean {
  if (op === 'exists') return isPresent(actual);
  if (expected === undefined) return false;
  switch (op) {
    case 'eq':
      return looselyEqual(actual, expected);
    case 'neq':
      return !looselyEqual(actual, expected);
    case 'contains':
      if (Array.isArray(actual)) return actual.some((item) => looselyEqual(item, expected));
      return typeof actual === 'string' && actual.toLowerCase().includes(String(expected).toLowerCase());
    case 'gt':
      return order(actual, expected) === 1;
    case 'lt':
      return order(actual, expected) === -1;
  }
}

function asNumber(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
    return Number(value);
  return undefined;
}

function looselyEqual(actual: unknown, expected: Comparable): boolean {
  if (actual === expected) return true;
  const [a, b] = [asNumber(actual), asNumber(expected)];
  if (a !== undefined && b !== undefined) return a === b;
  if (typeof actual === 'boolean' || typeof expected === 'boolean')
    return String(actual) === String(expected);
  return false;
}

/** -1, 0 or 1; undefined when the two cannot be ordered. */
function order(actual: unknown, expected: Comparable): -1 | 0 | 1 | undefined {
  const [a, b] = [asNumber(actual), asNumber(expected)];
  if (a !== undefined && b !== undefined) return a === b ? 0 : a < b ? -1 : 1;
  if (typeof actual === 'string' && typeof expected === 'string') {
    return actual === expected ? 0 : actual < expected ? -1 : 1;
  }
  return undefined;
}

/** Purpose keys a group refers to, so validation can check they exist. */
export function purposesInConditionGroup(group: ConditionGroup): string[] {
  return group.conditions.flatMap((condition) => (condition.kind === 'consent' ? [condition.purpose] : []));
}

/** One-line human wording of a group, for step summaries. */
export function describeConditionGroup(group: ConditionGroup): string {
  if (group.conditions.length === 0) return group.match === 'all' ? 'everyone' : 'no one';
  const parts = group.conditions.map(describeCondition);
  return parts.join(group.match === 'all' ? ' and ' : ' or ');
}

const OPERATOR_WORDS: Record<AttributeOperator, string> = {
  eq: 'is',
  neq: 'is not',
  contains: 'contains',
  gt: 'is greater than',
  lt: 'is less than',
  exists: 'is set',
};

export function describeCondition(condition: Condition): string {
  switch (condition.kind) {
    case 'attribute':
      return condition.op === 'exists'
        ? `${condition.key} is set`
        : `${condition.key} ${OPERATOR_WORDS[condition.op]} ${JSON.stringify(condition.value)}`;
    case 'consent':
      return `consent for ${condition.purpose} is ${condition.state}`;
    case 'event':
      return condition.withinDays === undefined
        ? `had event ${condition.name}`
        : `had event ${condition.name} in the last ${condition.withinDays} days`;
  }
}
