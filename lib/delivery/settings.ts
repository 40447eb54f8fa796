import { z } from 'zod';
import { readTransaction, writeTransaction } from '@/db/client';
import { insertAudit } from '@/db/store/audit';
import {
  listProviderRateLimits,
  readChannelPolicy,
  replaceProviderRateLimits,
  saveChannelPolicy,
} from '@/db/store/delivery';
import type { StaffUser } from '@/lib/auth/roles';
import { can } from '@/lib/auth/roles';
import { err, fieldFailure, ok, type Result } from '@/lib/result';
import {
  channelPolicySchema,
  policyFromRow,
  providerRateLimitSchema,
  type ChannelPolicy,
  type ProviderRateLimit,
} from './policy';
import { currentProvider } from './rate-limit';

/** Settings → Delivery policy: every staff member reads it, admins change it. */

export interface DeliverySettings {
  email: ChannelPolicy;
  rateLimits: ProviderRateLimit[];
  /** The provider mail goes through now (SMTP host or 'outbox'). */
  currentProvider: string;
  updatedAt: Date | null;
}

export async function readDeliverySettings(): Promise<DeliverySettings> {
  return await readTransaction(async (db) => {
    const row = await readChannelPolicy(db, 'email');
    return {
      email: policyFromRow(row),
      rateLimits: await listProviderRateLimits(db),
      currentProvider: currentProvider(),
      updatedAt: row ? new Date(row.updatedAt) : null,
    };
  });
}

export const deliverySettingsSchema = z.strictObject({
  email: channelPolicySchema,
  rateLimits: z
    .array(providerRateLimitSchema)
    .max(20)
    .refine((list) => new Set(list.map((limit) => limit.provider.toLowerCase())).size === list.length, {
      message: 'Each provider once',
    }),
});
export type DeliverySettingsInput = z.input<typeof deliverySettingsSchema>;

const optionalInt = z
  .string()
  .trim()
  .optional()
  .transform((value) => (value ? Number(value) : null))
  .pipe(z.number().int('Enter a whole number').nullable());

const text = z
  .string()
  .trim()
  .optional()
  .transform((value) => value || null);

/** The settings form as FormData fields (see app/(staff)/settings/delivery) → the settings. */
export const deliverySettingsFormSchema = z
  .object({
    capMax: optionalInt,
    capDays: optionalInt,
    quietStart: text,
    quietEnd: text,
    exemptTransactional: z.string().optional(),
    softBounceLimit: optionalInt,
    provider: z.union([z.string(), z.array(z.string())]).optional(),
    perSecond: z.union([z.string(), z.array(z.string())]).optional(),
    perHour: z.union([z.string(), z.array(z.string())]).optional(),
  })
  .transform((form, context): DeliverySettingsInput => {
    const list = (value: string | string[] | undefined) => [value ?? []].flat();
    const providers = list(form.provider);
    const perSecond = list(form.perSecond);
    const perHour = list(form.perHour);
    const number = (value: string | undefined) => (value?.trim() ? Number(value) : null);
    if ((form.capMax === null) !== (form.capDays === null))
      context.addIssue({
        code: 'custom',
        path: ['capMax'],
        message: 'Set both the number of mails and the days, or neither',
      });
    if (!form.quietStart !== !form.quietEnd)
      context.addIssue({
        code: 'custom',
        path: ['quietStart'],
        message: 'Set both the start and the end, or neither',
      });
    return {
      email: {
        cap:
          form.capMax !== null && form.capDays !== null ? { max: form.capMax, perDays: form.capDays } : null,
        quietHours: form.quietStart && form.quietEnd ? { start: form.quietStart, end: form.quietEnd } : null,
        exemptTransactional: form.exemptTransactional === 'on' || form.exemptTransactional === 'true',
        softBounceLimit: form.softBounceLimit ?? 3,
      },
      rateLimits: providers
        .map((provider, index) => ({
          provider: provider.trim().toLowerCase(),
          perSecond: number(perSecond[index]),
          perHour: number(perHour[index]),
        }))
        // A row without limits means "no limit" (the page pre-fills the current provider's row,
        // empty): it is left out; a limit without a provider stays, to be refused naming the field.
        .filter((limit) => limit.perSecond !== null || limit.perHour !== null),
    };
  });

/** Saves the policy and the rate limits in one transaction, audited. Admins only. */
export async function saveDeliverySettings(
  input: DeliverySettingsInput,
  staff: StaffUser,
  now = new Date(),
): Promise<Result<DeliverySettings>> {
  if (!can(staff.role, 'settings:manage'))
    return err('forbidden', 'Only administrators change the delivery policy');
  const parsed = deliverySettingsSchema.safeParse(input);
  if (!parsed.success) return { ok: false, error: fieldFailure(parsed.error.issues) };
  const { email, rateLimits } = parsed.data;
  await writeTransaction(async (db) => {
    await saveChannelPolicy(
      db,
      {
        channel: 'email',
        capMax: email.cap?.max ?? null,
        capDays: email.cap?.perDays ?? null,
        quietStart: email.quietHours?.start ?? null,
        quietEnd: email.quietHours?.end ?? null,
        exemptTransactional: email.exemptTransactional,
        softBounceLimit: email.softBounceLimit,
      },
      staff.id,
      now.getTime(),
    );
    await replaceProviderRateLimits(db, rateLimits, now.getTime());
    await insertAudit(db, {
      actorType: 'user',
      actorId: staff.id,
      action: 'delivery-policy.changed',
      targetType: 'delivery-policy',
      targetId: 'email',
      details: { email, rateLimits },
    });
  });
  return ok(await readDeliverySettings());
}
