import { z } from 'zod';
import { declareStep, isBlank, purposeLabel } from '../define';
import { purposeKeySchema } from '../shared';

const configSchema = z
  .strictObject({
    to: z
      .enum(['customer', 'recipient'])
      .describe('"customer": expiring link by mail; "recipient": a named third party')
      .meta({
        label: 'Send the data to',
        options: { customer: 'the customer (a link by mail)', recipient: 'a named recipient' },
      }),
    recipient: z
      .string()
      .trim()
      .min(1, 'Name the recipient')
      .max(200)
      .optional()
      .describe('Recipient name, when sending to a recipient')
      .meta({ label: 'Recipient', widget: 'recipient', showWhen: { field: 'to', is: ['recipient'] } }),
    purpose: purposeKeySchema
      .optional()
      .describe('Purpose covering the transfer, when sending to a recipient; consent for it is required')
      .meta({
        help: 'The purpose that covers the transfer; the customer must have consented to it.',
        showWhen: { field: 'to', is: ['recipient'] },
      }),
  })
  // A customer is always entitled to their own data; a third party only under a purpose.
  .superRefine((config, ctx) => {
    if (config.to !== 'recipient') return;
    if (!config.recipient)
      ctx.addIssue({ code: 'custom', path: ['recipient'], message: 'Name the recipient' });
    if (!config.purpose) {
      ctx.addIssue({
        code: 'custom',
        path: ['purpose'],
        message: 'Choose the purpose covering the transfer',
      });
    }
  });

export const transferDeclaration = declareStep({
  type: 'transfer',
  label: 'Transfer data',
  description:
    'Delivers the data package to the customer, or to a named recipient with consent for that recipient.',
  icon: '➦',
  category: 'privacy',
  outputs: [
    { id: 'delivered', label: 'Delivered', required: true },
    { id: 'refused', label: 'Refused', required: false },
  ],
  configSchema,
  defaultConfig: { to: 'customer' },
  summarize(config, ctx) {
    if (config.to === 'customer') return 'Send data package to the customer';
    const purpose = config.purpose ? purposeLabel(config.purpose, ctx) : '(no purpose)';
    return `Send data package to ${config.recipient ?? '(no recipient)'} for ${purpose}`;
  },
  purposeOf: (config) => (config.to === 'recipient' ? config.purpose || undefined : undefined),
  reads: (config) => [
    { kind: 'data-package' },
    ...(config.to === 'recipient' && config.purpose
      ? [{ kind: 'consent', name: config.purpose } as const]
      : []),
  ],
  effects: ['writes-records', 'reads-history'],
  // A transfer to the customer needs no purpose: access to one's own data is a right, not a processing purpose.
  missingPurpose: (config) =>
    config.to === 'recipient' && isBlank(config.purpose)
      ? 'sends data to a recipient but names no purpose for it.'
      : undefined,
  recipientOf: (config) => (config.to === 'recipient' ? config.recipient : undefined),
});
