import { z } from 'zod';
import { declareStep } from '../define';
import { timeOfDaySchema } from '../shared';

const configSchema = z.discriminatedUnion('mode', [
  z
    .strictObject({
      mode: z.literal('duration'),
      minutes: z
        .number()
        .min(0)
        .max(60 * 24 * 366)
        .describe('Minutes to wait'),
    })
    .describe('Wait a fixed time'),
  z
    .strictObject({ mode: z.literal('until-local-time'), time: timeOfDaySchema })
    .describe("Wait until the next occurrence of a time of day in the customer's time zone"),
]);

function describeMinutes(minutes: number): string {
  if (minutes === 0) return 'no time';
  if (minutes % (60 * 24) === 0) return `${minutes / (60 * 24)} day${minutes === 60 * 24 ? '' : 's'}`;
  if (minutes % 60 === 0) return `${minutes / 60} h`;
  return `${minutes} min`;
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
  effects: [],
  // A wait of zero minutes is no pause at all, so it does not make a loop safe.
  pausesCustomers: (config) => config.mode === 'until-local-time' || Number(config.minutes) > 0,
});
