import { z } from 'zod';
import { declareStep, purposeLabel } from '../define';
import { purposeKeySchema, themeKeySchema } from '../shared';

const configSchema = z.strictObject({
  purpose: purposeKeySchema.describe('Purpose the customer is asked to confirm'),
  themes: z
    .array(themeKeySchema)
    .max(50)
    .describe('Themes offered with the purpose; none means the purpose as a whole')
    .meta({
      label: 'Themes',
      widget: 'themes',
      help: 'Leave all unticked to ask for the purpose as a whole.',
    }),
  expiresHours: z
    .int()
    .min(1)
    .max(720)
    .default(72)
    .describe('Hours the confirmation link stays valid')
    .meta({ label: 'Link expires after', widget: 'duration', unit: 'hours' }),
});

export const doubleOptInDeclaration = declareStep({
  type: 'double-opt-in',
  label: 'Double opt-in',
  description: 'Sends the confirmation mail for a purpose (and themes) and waits for the click.',
  icon: '✔',
  category: 'privacy',
  outputs: [
    { id: 'confirmed', label: 'Confirmed', required: true },
    { id: 'expired', label: 'Expired', required: false },
  ],
  configSchema,
  defaultConfig: { purpose: '', themes: [], expiresHours: 72 },
  summarize(config, ctx) {
    const purpose = config.purpose ? purposeLabel(config.purpose, ctx) : '(no purpose)';
    const themes = config.themes.length ? ` (${config.themes.join(', ')})` : '';
    return `Ask to confirm ${purpose}${themes}; link valid ${config.expiresHours} h`;
  },
  purposeOf: (config) => config.purpose || undefined,
  themesOf: (config) => config.themes,
  // The confirmation mail goes to the address, in the customer's language.
  reads: (config) => [
    { kind: 'field', name: 'email' },
    { kind: 'field', name: 'language' },
    { kind: 'consent', name: config.purpose },
  ],
  effects: ['writes-records', 'changes-contact-facts'],
  grantsConsent: (config, output, need) =>
    output === 'confirmed' &&
    (config.themes.length === 0 || need.theme === undefined || config.themes.includes(need.theme)),
});
