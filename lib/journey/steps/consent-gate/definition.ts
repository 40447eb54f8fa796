import { z } from 'zod';
import { declareStep, purposeLabel } from '../define';
import { purposeKeySchema, themeKeySchema } from '../shared';

const configSchema = z.strictObject({
  purpose: purposeKeySchema.describe('Purpose whose consent is checked'),
  theme: themeKeySchema.optional().meta({ help: 'Leave empty to check the purpose as a whole.' }),
  timeoutHours: z
    .number()
    .min(0)
    .max(24 * 365)
    .describe('How long to wait for consent to be granted; 0 checks once without waiting')
    .meta({
      label: 'Wait for consent up to',
      widget: 'duration',
      unit: 'hours',
      help: 'With 0, consent is checked once and the customer moves on at once.',
    }),
});

export const consentGateDeclaration = declareStep({
  type: 'consent-gate',
  label: 'Consent gate',
  description: 'Continues only with consent for a purpose; can wait for it up to a timeout.',
  icon: '☑',
  category: 'privacy',
  outputs: [
    { id: 'granted', label: 'Granted', required: true },
    { id: 'not-granted', label: 'Not granted', required: false },
    { id: 'timed-out', label: 'Timed out', required: false },
  ],
  configSchema,
  defaultConfig: { purpose: '', timeoutHours: 0 },
  summarize(config, ctx) {
    const purpose = config.purpose ? purposeLabel(config.purpose, ctx) : '(no purpose)';
    const waiting = config.timeoutHours === 0 ? 'check once' : `wait up to ${config.timeoutHours} h`;
    return `Consent for ${purpose}${config.theme ? ` (${config.theme})` : ''}; ${waiting}`;
  },
  purposeOf: (config) => config.purpose || undefined,
  themesOf: (config) => (config.theme ? [config.theme] : []),
  reads: (config) => [{ kind: 'consent', name: config.purpose }],
  effects: [],
  grantsConsent: (config, output, need) =>
    output === 'granted' && (config.theme === undefined || config.theme === need.theme),
});
