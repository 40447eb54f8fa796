import { z } from 'zod';
import { conditionGroupSchema, describeConditionGroup, purposesInConditionGroup } from '../../conditions';
import { declareStep, readsOfConditions } from '../define';

const configSchema = z.strictObject({
  rule: conditionGroupSchema
    .describe('Customers matching the rule take "yes", everyone else "no"')
    .meta({ label: 'Rule', help: 'Customers who match take the “Yes” output; everyone else takes “No”.' }),
});

export const conditionDeclaration = declareStep({
  type: 'condition',
  label: 'Condition',
  description: 'Branches on attributes, consents or events.',
  icon: '◇',
  category: 'flow',
  outputs: [
    { id: 'yes', label: 'Yes', required: true },
    { id: 'no', label: 'No', required: true },
  ],
  configSchema,
  defaultConfig: { rule: { match: 'all', conditions: [] } },
  summarize: (config) => `If ${describeConditionGroup(config.rule)}`,
  referencedPurposesOf: (config) => purposesInConditionGroup(config.rule),
  reads: (config) => readsOfConditions(config.rule),
  effects: [],
});
