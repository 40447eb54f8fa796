import { z } from 'zod';
import { genericNotificationSchema } from '@/lib/deliverability/notifications';
import {
  CONSENT_STATES,
  CUSTOMER_STATUSES,
  LEGAL_BASES,
  PRIVACY_REQUEST_KINDS,
  PRIVACY_REQUEST_STATUSES,
} from '@/lib/vocabulary';

/**
 * The one declaration of every API body: routes validate with these, `GET /api/openapi.json`
 * is generated from them, and the docs page renders that document.
 */

/** Every named API schema; the OpenAPI document's components are generated from this registry. */
export const apiSchemas = z.registry<{ id: string; description?: string }>();

export const MAX_EVENT_BATCH = 1000;

const attributes = z
  .record(z.string().max(100), z.unknown())
  .describe('Free-form profile attributes (JSON object); used by journey conditions');

export const customerUpsertSchema = z
  .object({
    externalId: z.string().trim().min(1).max(200).optional().describe("Your system's id for the customer"),
    email: z.email().max(320).optional().describe('Lower-cased on the way in'),
    name: z.string().max(200).optional(),
    locale: z.string().min(2).max(16).optional().describe('e.g. "en" or "de"'),
    timeZone: z.string().min(1).max(64).optional().describe('IANA time zone, e.g. "Europe/Helsinki"'),
    attributes: attributes.optional(),
  })
  .strict()
  .refine((value) => value.externalId !== undefined || value.email !== undefined, {
    message: 'Give externalId or email',
    path: ['email'],
  })
  .register(apiSchemas, { id: 'CustomerUpsert' });
export type CustomerUpsert = z.infer<typeof customerUpsertSchema>;

export const customerPatchSchema = z
  .object({
    externalId: z.string().trim().min(1).max(200).optional(),
    email: z.email().max(320).optional(),
    name: z.string().max(200).optional(),
    locale: z.string().min(2).max(16).optional(),
    timeZone: z.string().min(1).max(64).optional(),
    attributes: attributes
      .optional()
      .describe('Merged into the stored attributes; a null value removes a key'),
  })
  .strict()
  .register(apiSchemas, { id: 'CustomerPatch' });
export type CustomerPatch = z.infer<typeof customerPatchSchema>;

export const customerSchema = z
  .object({
    id: z.number().int(),
    externalId: z.string().nullable(),
    email: z.string().nullable(),
    name: z.string(),
    locale: z.string(),
    timeZone: z.string(),
    attributes: z.record(z.string(), z.unknown()),
    status: z.enum(CUSTOMER_STATUSES),
    mergedIntoId: z.number().int().nullable(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime().nullable(),
  })
  .register(apiSchemas, { id: 'Customer' });
export type CustomerDto = z.infer<typeof customerSchema>;

export const customerUpsertResultSchema = z
  .object({
    customer: customerSchema,
    created: z.boolean(),
    mergedCustomerIds: z.array(z.number().int()).describe('Profiles merged into this one by this call'),
  })
  .register(apiSchemas, { id: 'CustomerUpsertResult' });

export const consentActionSchema = z
  .object({
    purpose: z.string().min(1).max(100).describe('Purpose key, see GET /api/v1/purposes'),
    theme: z
      .string()
      .min(1)
      .max(100)
      .optional()
      .describe('Theme key under the purpose; omitted = the purpose itself'),
    action: z.enum(['grant', 'withdraw']),
    evidence: z
      .record(z.string(), z.unknown())
      .refine((value) => Object.keys(value).length > 0, 'Describe how the consent was given or withdrawn')
      .describe('How and where: e.g. {"form":"checkout","ip":"…","text":"…"}; stored beside the ledger'),
    noticeVersion: z
      .number()
      .int()
      .positive()
      .optional()
      .describe('The notice version shown; defaults to the current one'),
  })
  .strict()
  .register(apiSchemas, { id: 'ConsentAction' });
export type ConsentActionInput = z.infer<typeof consentActionSchema>;

export const consentStateItemSchema = z.object({
  purpose: z.string(),
  theme: z.string().nullable(),
  state: z.enum(CONSENT_STATES),
  updatedAt: z.iso.datetime().nullable(),
});
export const consentHistoryItemSchema = z.object({
  id: z.number().int(),
  customerId: z
    .number()
    .int()
    .describe('Differs from the customer asked about for history inherited by a merge'),
  purpose: z.string(),
  theme: z.string().nullable(),
  action: z.string(),
  stateAfter: z.enum(CONSENT_STATES),
  source: z.string(),
  occurredAt: z.iso.datetime(),
});
export const customerConsentsSchema = z
  .object({
    customerId: z.number().int(),
    states: z.array(consentStateItemSchema),
    history: z.array(consentHistoryItemSchema),
  })
  .register(apiSchemas, { id: 'CustomerConsents' });

export const eventInputSchema = z
  .object({
    customerId: z.number().int().positive().optional(),
    email: z.email().max(320).optional(),
    name: z
      .string()
      .trim()
      .min(1)
      .max(100)
      .describe('e.g. "order.completed"; journeys may trigger or wait on it'),
    properties: z.record(z.string(), z.unknown()).optional().default({}),
    occurredAt: z.iso.datetime({ offset: true }).optional().describe('Defaults to the time received'),
  })
  .strict()
  .refine((value) => value.customerId !== undefined || value.email !== undefined, {
    message: 'Give customerId or email',
    path: ['customerId'],
  })
  .register(apiSchemas, { id: 'EventInput' });
export type EventInput = z.infer<typeof eventInputSchema>;

export const eventBatchSchema = z.array(eventInputSchema).min(1).max(MAX_EVENT_BATCH);
export const eventsBodySchema = z.union([eventInputSchema, eventBatchSchema]).register(apiSchemas, {
  id: 'EventsBody',
  description: `One event or an array of up to ${MAX_EVENT_BATCH}`,
});

export const eventsResultSchema = z
  .object({ accepted: z.number().int(), eventIds: z.array(z.number().int()) })
  .register(apiSchemas, { id: 'EventsResult' });

export const purposeSchema = z
  .object({
    key: z.string(),
    name: z.string(),
    description: z.string(),
    legalBasis: z.enum(LEGAL_BASES),
    retentionDays: z.number().int(),
    honoursGpc: z
      .boolean()
      .describe(
        'Sale or sharing / targeted advertising: a Global Privacy Control signal (Sec-GPC: 1) on a customer page or the sign-up is recorded as an objection to this purpose',
      ),
    themes: z.array(z.object({ key: z.string(), name: z.string(), description: z.string() })),
    currentNoticeVersion: z.number().int().nullable(),
  })
  .register(apiSchemas, { id: 'Purpose' });

export const journeySummarySchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    status: z.string(),
    liveVersionId: z.number().int().nullable(),
    updatedAt: z.iso.datetime().nullable(),
  })
  .register(apiSchemas, { id: 'Journey' });

export const enrollmentInputSchema = z
  .object({ customerId: z.number().int().positive() })
  .strict()
  .register(apiSchemas, { id: 'EnrollmentInput' });

export const enrollmentResultSchema = z
  .object({ enrollmentId: z.number().int().nullable(), status: z.string(), reason: z.string().optional() })
  .register(apiSchemas, { id: 'EnrollmentResult' });

export const privacyRequestInputSchema = z
  .object({
    customerId: z.number().int().positive().optional(),
    email: z.email().max(320).optional(),
    kind: z.enum(PRIVACY_REQUEST_KINDS),
    details: z
      .record(z.string(), z.unknown())
      .optional()
      .describe('e.g. what to rectify; no special categories of data'),
  })
  .strict()
  .refine((value) => value.customerId !== undefined || value.email !== undefined, {
    message: 'Give customerId or email',
    path: ['customerId'],
  })
  .register(apiSchemas, { id: 'PrivacyRequestInput' });
export type PrivacyRequestInput = z.infer<typeof privacyRequestInputSchema>;

export const privacyRequestSchema = z
  .object({
    id: z.number().int(),
    customerId: z.number().int().nullable(),
    kind: z.enum(PRIVACY_REQUEST_KINDS),
    status: z.enum(PRIVACY_REQUEST_STATUSES),
    receivedAt: z.iso.datetime(),
    dueAt: z.iso.datetime(),
    completedAt: z.iso.datetime().nullable(),
  })
  .register(apiSchemas, { id: 'PrivacyRequest' });

export const subscribeInputSchema = z
  .object({
    email: z.email(),
    purposes: z.array(z.string()).min(1),
    noticeVersion: z.number().int().positive(),
    themes: z.array(z.string()).optional(),
  })
  .register(apiSchemas, { id: 'SubscribeInput' });

genericNotificationSchema
  .describe('The generic shape (provider "generic"); ses and postmark take those providers’ own JSON')
  .register(apiSchemas, { id: 'DeliverabilityNotification' });

export const deliverabilityResultSchema = z
  .object({
    recorded: z.int().describe('Bounces and complaints recorded'),
    ignored: z.string().optional().describe('Why nothing was recorded (e.g. a delivery notice)'),
    confirmed: z.boolean().optional().describe('An SNS subscription was confirmed'),
    outcomes: z
      .array(
        z.object({
          notificationId: z.int(),
          kind: z.enum(['hard-bounce', 'soft-bounce', 'complaint']),
          matchedMail: z.boolean(),
          blocked: z.boolean(),
          consentWithdrawn: z.boolean(),
          retried: z.boolean(),
        }),
      )
      .optional(),
  })
  .register(apiSchemas, { id: 'DeliverabilityResult' });

export const errorSchema = z
  .object({
    error: z.object({
      code: z
        .string()
        .describe('Stable machine-readable code, e.g. invalid_field, erased_address, rate_limited'),
      message: z.string(),
      field: z.string().optional().describe('Dotted path of the offending field'),
    }),
  })
  .register(apiSchemas, { id: 'Error' });

export const webhookPayloadSchema = z
  .object({
    id: z.string().describe('Unique per event; use it to ignore duplicates'),
    type: z.enum(['consent.changed', 'customer.erased', 'block.changed', 'privacy_request.updated']),
    createdAt: z.iso.datetime(),
    data: z.record(z.string(), z.unknown()),
  })
  .register(apiSchemas, { id: 'WebhookEvent' });

export function page<T extends z.ZodType>(item: T, id: string) {
  return z
    .object({
      data: z.array(item),
      nextCursor: z.string().nullable().describe('Pass as ?cursor= for the next page; null on the last page'),
    })
    .register(apiSchemas, { id });
}

export const customerPageSchema = page(customerSchema, 'CustomerPage');
export const journeyPageSchema = page(journeySummarySchema, 'JourneyPage');
export const purposeListSchema = z
  .object({ data: z.array(purposeSchema) })
  .register(apiSchemas, { id: 'PurposeList' });
export const subscribeResultSchema = z
  .object({
    status: z.literal('accepted'),
    message: z.string(),
    gpc: z
      .object({ honoured: z.literal(true), message: z.string() })
      .optional()
      .describe(
        'Only when the request carried Global Privacy Control (Sec-GPC: 1): it is recorded as an objection to every purpose with honoursGpc, and no opt-in starts for those',
      ),
  })
  .register(apiSchemas, { id: 'SubscribeResult' });
export const consentSummarySchema = z
  .object({
    purposes: z.array(
      z.object({
        purpose: z.string(),
        counts: z.record(z.string(), z.number().int()).describe('Customers per consent state'),
      }),
    ),
  })
  .loose()
  .register(apiSchemas, {
    id: 'ConsentSummary',
    description: 'Counts per purpose and state; see the Mission Control docs for every field',
  });
