import { z } from 'zod';
import { declareStep } from '../define';
import { blockScopeShape, describeBlockScope, refineBlockScope } from '../shared';

const configSchema = z
  .strictObject({
    ...blockScopeShape,
    reason: z
      .enum(['customer-request', 'complaint', 'bounce', 'legal'])
      .describe('Why the block is set')
      .meta({
        label: 'Reason',
        options: {
          'customer-request': 'the customer asked',
          complaint: 'a complaint',
          bounce: 'mail bounced',
          legal: 'a legal obligation',
        },
      }),
    evidence: z
      .string()
      .trim()
      .min(1, 'Describe the evidence for the block')
      .max(2000)
      .describe('What the block rests on, kept as evidence')
      .meta({ label: 'Evidence', widget: 'textarea', help: 'What the block rests on; kept as evidence.' }),
  })
  .superRefine(refineBlockScope);

export const setAdvertisingBlockDeclaration = declareStep({
  type: 'set-advertising-block',
  label: 'Set advertising block',
  description: 'Sets a contact block with a reason and evidence.',
  icon: '⚑',
  category: 'privacy',
  outputs: [{ id: 'next', label: 'Next', required: true }],
  configSchema,
  defaultConfig: { scope: 'all', reason: 'customer-request', evidence: '' },
  summarize: (config) => `Block ${describeBlockScope(config)} (${config.reason})`,
  themesOf: (config) => (config.scope === 'theme' && config.theme ? [config.theme] : []),
  effects: ['writes-records', 'changes-contact-facts'],
});
