import { z } from 'zod';
import { declareStep } from '../define';

const configSchema = z.strictObject({
  formats: z
    .array(z.enum(['json', 'csv']))
    .min(1)
    .max(2)
    .refine((formats) => new Set(formats).size === formats.length, 'Each format once')
    .default(['json', 'csv'])
    .describe('Formats of the data package')
    .meta({ label: 'Formats', options: { json: 'JSON (for machines)', csv: 'CSV (for spreadsheets)' } }),
});

export const referenceDeclaration = declareStep({
  type: 'reference',
  label: 'Data reference',
  description:
    "Compiles the customer's data package (Art. 15 / 20): profile, consents with evidence, blocks, journeys, messages.",
  icon: '▤',
  category: 'privacy',
  outputs: [{ id: 'next', label: 'Next', required: true }],
  configSchema,
  defaultConfig: { formats: ['json', 'csv'] },
  summarize: (config) => `Compile data package (${config.formats.join(', ').toUpperCase()})`,
  reads: () => [{ kind: 'data-package' }],
  effects: ['reads-history'],
});
