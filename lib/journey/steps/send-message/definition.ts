import { z } from 'zod';
import { customerVariablesOf } from '@/lib/messages/checks';
import { messageContentSchema, pickVariant, plainMessage, STARTER_MESSAGE } from '@/lib/messages/content';
import { CUSTOMER_FIELDS } from '@/lib/messages/variables';
import { CAP_ACTIONS } from '@/lib/vocabulary/delivery';
import { declareStep, isBlank, purposeLabel, type DataRead } from '../define';
import { purposeKeySchema, themeKeySchema, timeOfDaySchema } from '../shared';

const configSchema = z
  .strictObject({
    purpose: purposeKeySchema
      .describe('Purpose the message is sent for; consent for it is checked before sending')
      .meta({ help: 'The message is only sent to customers who may be contacted for this purpose.' }),
    theme: themeKeySchema.optional(),
    channel: z.literal('email').describe('Delivery channel').meta({ label: 'Channel', hidden: true }),
    content: messageContentSchema
      .optional()
      .describe(
        'The designed message: a variant per language, in simple blocks or MJML, with Liquid variables',
      )
      .meta({ label: 'Message', widget: 'message-content' }),
    template: z
      .strictObject({
        id: z.int().positive().meta({ label: 'Template' }),
        /** Filled in when publishing: the template version the published journey copied. */
        version: z.int().positive().optional().meta({ label: 'Template version' }),
      })
      .optional()
      .describe(
        'A template from Settings → Message templates instead of own content; publishing copies its current version into the journey version',
      )
      .meta({ label: 'Template', hidden: true }),
    subject: z
      .string()
      .trim()
      .max(200)
      .optional()
      .describe('Subject line of a plain message (before designed messages); may contain {{variables}}')
      .meta({ label: 'Subject' }),
    body: z
      .string()
      .trim()
      .max(20_000)
      .optional()
      .describe('Body of a plain message (before designed messages); may contain {{variables}}')
      .meta({ label: 'Body', widget: 'message-body' }),
    frequencyCap: z
      .strictObject({
        max: z.int().min(1).describe('At most this many messages').meta({ label: 'At most (messages)' }),
        perDays: z
          .int()
          .min(1)
          .describe('Within this many days')
          .meta({ label: 'Within', widget: 'duration', unit: 'days' }),
      })
      .optional()
      .describe('Skip the message if the customer already got this many for the purpose')
      .meta({
        label: 'Limit how often',
        help: 'Skips the message when the customer already got this many for the purpose.',
      }),
    quietHours: z
      .strictObject({
        start: timeOfDaySchema.meta({ label: 'From' }),
        end: timeOfDaySchema.meta({ label: 'To' }),
      })
      .optional()
      .describe('Hold the message during these local hours (may span midnight)')
      .meta({
        label: 'Quiet hours',
        help: "The message waits until the quiet hours are over, in the customer's time zone. The workspace's quiet hours apply as well; a step can add quiet time, not remove it.",
      }),
    whenCapped: z
      .strictObject({
        action: z
          .enum(CAP_ACTIONS)
          .describe('Hold the message until the workspace limit allows it, or skip it')
          .meta({
            label: 'Then',
            options: { hold: 'hold and retry', skip: 'skip the message' },
          }),
        withinHours: z
          .int()
          .min(1)
          .max(24 * 14)
          .optional()
          .describe('How long a held message may wait before it is skipped')
          .meta({
            label: 'Retry within',
            widget: 'duration',
            unit: 'hours',
            showWhen: { field: 'action', is: ['hold'] },
          }),
      })
      .optional()
      .describe(
        'What happens when the workspace frequency cap (Settings → Delivery policy) stops the message',
      )
      .meta({
        label: 'When the workspace limit is reached',
        help: 'Held messages go out once the customer is under the limit again; without a choice they are held for up to 24 hours.',
      }),
  })
  // A designed message, or (as written before designed messages) a plain subject and body.
  .superRefine((config, issues) => {
    if (config.content || config.template) return;
    if (!config.subject) issues.addIssue({ code: 'custom', path: ['subject'], message: 'Enter a subject' });
    if (!config.body) issues.addIssue({ code: 'custom', path: ['body'], message: 'Write the message' });
  });

/** The subject the canvas shows: the fallback variant's, or a plain message's. */
function subjectOf(config: z.output<typeof configSchema>): string {
  if (config.template && !config.content) return '';
  if (config.content)
    return pickVariant(config.content, config.content.fallbackLanguage)?.variant.subject ?? '';
  return config.subject ?? '';
}

const PROFILE_FIELDS: ReadonlySet<string> = new Set(CUSTOMER_FIELDS);

/**
 * The address, the consent and block checks, the time zone for quiet hours, the language when
 * there is more than one variant, and every customer variable of the message. A message from a
 * template is known once publishing copied the template in.
 */
function readsOfSend(config: z.output<typeof configSchema>): DataRead[] {
  const content =
    config.content ??
    (config.subject || config.body ? plainMessage(config.subject ?? '', config.body ?? '') : undefined);
  const reads: DataRead[] = [
    { kind: 'field', name: 'email' },
    { kind: 'consent', name: config.purpose },
    { kind: 'blocks' },
  ];
  if (config.quietHours) reads.push({ kind: 'field', name: 'timeZone' });
  if (content && Object.keys(content.variants).length > 1) reads.push({ kind: 'field', name: 'language' });
  for (const name of content ? customerVariablesOf(content) : [])
    reads.push({ kind: PROFILE_FIELDS.has(name) ? 'field' : 'attribute', name });
  return reads;
}

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
  defaultConfig: { purpose: '', channel: 'email', content: STARTER_MESSAGE },
  summarize(config, ctx) {
    const subject = subjectOf(config)
      ? `“${subjectOf(config)}”`
      : config.template
        ? 'from a template'
        : '(no subject)';
    const purpose = config.purpose ? purposeLabel(config.purpose, ctx) : '(no purpose)';
    return `Email ${subject} for ${purpose}`;
  },
  purposeOf: (config) => config.purpose || undefined,
  themesOf: (config) => (config.theme ? [config.theme] : []),
  reads: readsOfSend,
  effects: ['queues-mail'],
  contactsForPurpose: true,
  missingPurpose: (config) =>
    isBlank(config.purpose)
      ? 'has no purpose; every message is sent for a purpose the customer agreed to.'
      : undefined,
});
