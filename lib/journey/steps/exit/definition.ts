import { z } from 'zod';
import { declareStep } from '../define';

const configSchema = z.strictObject({
  reason: z
    .string()
    .trim()
    .max(200)
    .optional()
    .describe('Why customers leave here, shown in reports and their history')
    .meta({ label: 'Reason', help: "Shown in reports and in the customer's history." }),
});

export const exitDeclaration = declareStep({
  type: 'exit',
  label: 'Exit',
  description: "Ends the customer's journey.",
  icon: '■',
  category: 'flow',
  outputs: [],
  configSchema,
  defaultConfig: {},
  summarize: (config) => (config.reason ? `Exit: ${config.reason}` : 'Exit'),
  effects: [],
});
