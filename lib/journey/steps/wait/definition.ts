import { z } from 'zod';
import { declareStep } from '../define';
import { formatDuration } from '../field-meta';
import { timeOfDaySchema } from '../shared';

const configSchema = z
  .discriminatedUnion('mode', [
    z
      .strictObject({
        mode: z.literal('duration'),
        minutes: z
          .number()
          .min(0)
          .max(60 * 24 * 366)
          .describe('Minutes to wait')
          .meta({ label: 'Wait for', widget: 'duration', unit: 'minutes' }),
      })
      .describe('Wait a fixed time')
      .meta({ label: 'a fixed time' }),
    z
      .strictObject({ mode: z.literal('until-local-time'), time: timeOfDaySchema.meta({ label: 'Until' }) })
      .describe("Wait until the next occurrence of a time of day in the customer's time zone")
      .meta({ label: 'until a time of day' }),
  ])
  .meta({ label: 'Wait' });

function describeMinutes(minutes: number): string {
  return minutes === 0 ? 'no time' : formatDuration(minutes, 'minutes');
}

export const waitDeclaration = declareStep({
  type: 'wait',
  label: 'Wait',
  description: 'Waits for a duration, or until a local time of day.',
  icon: '◷',
  category: 'flow',
  outputs: [{ id: 'next', label: 'Next', required: true }],
  configSchema,
  defaultConfig: { mode: 'duration', minutes: 60 * 24 },
  summarize: (config) =>
    config.mode === 'duration'
      ? `Wait ${describeMinutes(config.minutes)}`
      : `Wait until ${config.time} local time`,
  reads: (config) => (config.mode === 'until-local-time' ? [{ kind: 'field', name: 'timeZone' }] : []),
  effects: [],
  // A wait of zero minutes is no pause at all, so it does not make a loop safe.
  pausesCustomers: (config) => config.mode === 'until-local-time' || Number(config.minutes) > 0,
});
