import { z } from 'zod';
import { declareStep } from '../define';

const configSchema = z.strictObject({
  notifyConnectedSystems: z
    .boolean()
    .default(true)
    .describe('Also tell connected systems (CRM) to erase the customer')
    .meta({ label: 'Also erase in connected systems (such as the CRM)' }),
});

export const forgetDeclaration = declareStep({
  type: 'forget',
  label: 'Forget',
  description: 'Erases the customer everywhere and stops all their journeys (Art. 17). Ends the journey.',
  icon: '⌧',
  category: 'privacy',
  // Terminal: there is no customer left to continue with.
  outputs: [],
  configSchema,
  defaultConfig: { notifyConnectedSystems: true },
  summarize: (config) =>
    config.notifyConnectedSystems ? 'Erase the customer and notify connected systems' : 'Erase the customer',
  effects: ['writes-records', 'changes-contact-facts', 'reads-history'],
});
