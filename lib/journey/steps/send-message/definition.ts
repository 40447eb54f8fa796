import { z } from 'zod';
import { declareStep, isBlank, purposeLabel } from '../define';
import { purposeKeySchema, themeKeySchema, timeOfDaySchema } from '../shared';

const configSchema = z.strictObject({
  purpose: purposeKeySchema.describe(
    'Purpose the message is sent for; consent for it is checked before sending',
  ),
  theme: themeKeySchema.optional(),
  channel: z.literal('email').describe('Delivery channel'),
  subject: z
    .string()
    .trim()
    .min(1, 'Enter a subject')
    .max(200)
    .describe('Subject line; may contain {{variables}}'),
  body: z
    .string()
    .trim()
    .min(1, 'Write the message')
    .max(20_000)
    .describe('Message body; may contain {{variables}}'),
  frequencyCap: z
    .strictObject({
      max: z.int().min(1).describe('At most this many messages'),
      perDays: z.int().min(1).describe('Within this many days'),
    })
    .optional()
    .describe('Skip the message if the customer already got this many for the purpose'),
  quietHours: z
    .strictObject({ start: timeOfDaySchema, end: timeOfDaySchema })
    .optional()
    .describe('Hold the message during these local hours (may span midnight)'),
});

export const sendMessageDeclaration = declareStep({
  type: 'send-message',
  label: 'Send message',
  description: 'Sends a mail for a purpose. Refused without consent or with an active block.',
  icon: '✉',
  category: 'messaging',
  outputs: [
    { id: 'sent', label: 'Sent', required: true },
    { id: 'skipped', label: 'Skipped', required: false },
  ],
  configSchema,
  defaultConfig: { purpose: '', channel: 'email', subject: '', body: '' },
  summarize(config, ctx) {
    const subject = config.subject ? `“${config.subject}”` : '(no subject)';
    const purpose = config.purpose ? purposeLabel(config.purpose, ctx) : '(no purpose)';
    return `Email ${subject} for ${purpose}`;
  },
  purposeOf: (config) => config.purpose || undefined,
  themesOf: (config) => (config.theme ? [config.theme] : []),
  effects: ['queues-mail'],
  contactsForPurpose: true,
  missingPurpose: (config) =>
    isBlank(config.purpose)
      ? 'has no purpose; every message is sent for a purpose the customer agreed to.'
      : undefined,
});
