import { z } from 'zod';
import { conditionGroupSchema, describeConditionGroup, purposesInConditionGroup } from '../../conditions';
import { declareStep, readsOfConditions, type DataRead } from '../define';

const configSchema = z
  .strictObject({
    mode: z
      .enum(['segment', 'event'])
      .describe('"segment": customers matching a filter; "event": customers who trigger an event')
      .meta({
        label: 'Who enters',
        options: { segment: 'customers matching a filter', event: 'customers who do something (an event)' },
      }),
    segment: conditionGroupSchema
      .optional()
      .describe('Who enters, when mode is "segment"')
      .meta({
        label: 'Filter',
        help: 'Customers who match enter the journey. With no conditions, every customer matches.',
        showWhen: { field: 'mode', is: ['segment'] },
      }),
    eventName: z
      .string()
      .trim()
      .min(1, 'Name the event')
      .max(200)
      .optional()
      .describe('Triggering event, when mode is "event"')
      .meta({
        label: 'Event',
        widget: 'event-name',
        help: 'A customer enters each time this event is recorded for them.',
        showWhen: { field: 'mode', is: ['event'] },
      }),
    reentry: z
      .strictObject({
        policy: z
          .enum(['never', 'after-period', 'always'])
          .describe('Whether a customer who already went through may enter again')
          .meta({
            label: 'May enter again',
            options: { never: 'never', 'after-period': 'after a period', always: 'every time' },
          }),
        periodDays: z
          .int()
          .min(1)
          .max(3650)
          .optional()
          .describe('Days before re-entry, when policy is "after-period"')
          .meta({
            label: 'Period',
            widget: 'duration',
            unit: 'days',
            showWhen: { field: 'policy', is: ['after-period'] },
          }),
      })
      .describe('Re-entry policy')
      .meta({ label: 'Entering again' }),
    goals: z
      .array(
        z
          .strictObject({
            eventName: z
              .string()
              .trim()
              .min(1, 'Name the goal event')
              .max(200)
              .describe('Goal event name')
              .meta({ label: 'Event', widget: 'event-name' }),
          })
          .meta({ label: 'Goal' }),
      )
      .max(20)
      .describe('Events that end the journey early for a customer (conversion)')
      .meta({
        label: 'Goals',
        help: 'When one of these events happens, the customer has reached the goal and leaves.',
      }),
  })
  // Flat optional fields plus refinements rather than a union: the form keeps
  // the other mode's value while the marketer toggles back and forth.
  .superRefine((config, ctx) => {
    if (config.mode === 'segment' && !config.segment) {
      ctx.addIssue({ code: 'custom', path: ['segment'], message: 'Describe who enters' });
    }
    if (config.mode === 'event' && !config.eventName) {
      ctx.addIssue({
        code: 'custom',
        path: ['eventName'],
        message: 'Name the event that starts the journey',
      });
    }
    if (config.reentry.policy === 'after-period' && config.reentry.periodDays === undefined) {
      ctx.addIssue({ code: 'custom', path: ['reentry', 'periodDays'], message: 'Say after how many days' });
    }
  });

export const entryDeclaration = declareStep({
  type: 'entry',
  label: 'Entry',
  description:
    'Who enters the journey: a target group or an event trigger, and whether they may enter again.',
  icon: '▶',
  category: 'flow',
  outputs: [{ id: 'next', label: 'Next', required: true }],
  configSchema,
  defaultConfig: {
    mode: 'segment',
    segment: { match: 'all', conditions: [] },
    reentry: { policy: 'never' },
    goals: [],
  },
  summarize(config) {
    const who =
      config.mode === 'event'
        ? `When event ${config.eventName ?? '(not named)'} happens`
        : `Customers matching ${config.segment ? describeConditionGroup(config.segment) : '(no filter)'}`;
    const reentry =
      config.reentry.policy === 'never'
        ? 'once'
        : config.reentry.policy === 'always'
          ? 'may re-enter'
          : `may re-enter after ${config.reentry.periodDays ?? '?'} days`;
    return `${who}; ${reentry}`;
  },
  referencedPurposesOf: (config) =>
    config.mode === 'segment' && config.segment ? purposesInConditionGroup(config.segment) : [],
  // A segment reads what its filter names; an event trigger, the event. Goals are events too.
  reads: (config) => [
    ...(config.mode === 'segment' && config.segment ? readsOfConditions(config.segment) : []),
    ...(config.mode === 'event' && config.eventName
      ? [{ kind: 'event', name: config.eventName } as const]
      : []),
    ...config.goals.map((goal): DataRead => ({ kind: 'event', name: goal.eventName })),
  ],
  effects: [],
});
