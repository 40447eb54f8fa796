import { z } from 'zod';
import { writeTransaction } from '@/db/client';
import { currentNotice } from '@/db/store/consent';
import { LEGAL_BASES, type Recipient, type Translations } from '@/lib/vocabulary';
import { insertAudit } from '@/db/store/audit';
import {
  insertPurposeRow,
  insertThemeRow,
  listPurposesForAdmin,
  purposeHasLedgerEvents,
  purposeRowByKey,
  themeOfPurpose,
  updatePurposeRow,
  updateThemeRow,
  type PurposeAdminView,
} from '@/db/store/purposes-admin';
import { publishNotice } from './notices';
import { ok, type Err, type Failure, type Result } from '@/lib/result';

/** Admin management of purposes, themes and notice versions (Art. 6(1), 13, 30). */

const slug = z
  .string()
  .trim()
  .min(1, 'Enter a key')
  .max(60, 'At most 60 characters')
  .regex(
    /^[a-z0-9]+(?:-[a-z0-9]+)*$/,
    'Lower-case letters, digits and single hyphens only, e.g. spring-offers',
  );
const name = z.string().trim().min(1, 'Enter a name').max(120, 'At most 120 characters');
const description = z.string().trim().max(2000, 'At most 2,000 characters').default('');

const recipientSchema = z.object({ key: slug, name });

/** The German name and description (empty: German customers read the English text). */
const germanFields = {
  nameDe: z.string().trim().max(120, 'At most 120 characters').default(''),
  descriptionDe: z.string().trim().max(2000, 'At most 2,000 characters').default(''),
};
function withTranslations<T extends { nameDe: string; descriptionDe: string }>({
  nameDe,
  descriptionDe,
  ...rest
}: T): Omit<T, 'nameDe' | 'descriptionDe'> & { translations: Translations } {
  return {
    ...rest,
    translations: nameDe || descriptionDe ? { de: { name: nameDe, description: descriptionDe } } : {},
  };
}

const purposeFields = {
  name,
  description,
  legalBasis: z.enum(LEGAL_BASES, { error: 'Choose one of the six legal bases of Art. 6(1)' }),
  retentionDays: z.coerce
    .number({ error: 'Enter a number of days' })
    .int('Whole days only')
    .min(1, 'At least 1 day')
    .max(36500, 'At most 36,500 days (100 years)'),
  recipients: z
    .array(recipientSchema)
    .max(50, 'At most 50 recipients')
    .default([])
    .refine(
      (list) => new Set(list.map((r) => r.key)).size === list.length,
      'Each recipient key must be unique',
    ),
  retentionDuty: z
    .string()
    .trim()
    .max(500, 'At most 500 characters')
    .nullish()
    .transform((text) => text || null),
  ...germanFields,
  /** Links in this purpose's mails are rewritten to record clicks; only when the notice says so. */
  clickTracking: z.boolean().default(false),
  /** Sale or sharing / targeted advertising: a Global Privacy Control signal objects to it. */
  honoursGpc: z.boolean().default(false),
};

/** Create and edit share one shape; on edit the key selects the purpose and never changes. */
export const purposeSchema = z.object({ key: slug, ...purposeFields }).transform(withTranslations);
/** Add and rename share one shape; on rename the key selects the theme and never changes. */
export const themeSchema = z
  .object({ purposeKey: slug, key: slug, name, description, ...germanFields })
  .transform(withTranslations);
export const publishNoticeSchema = z
  .object({
    purposeKey: slug,
    en: z.string().trim().min(1, 'The English text is required').max(20_000, 'At most 20,000 characters'),
    de: z.string().trim().max(20_000, 'At most 20,000 characters').default(''),
    requiresReconsent: z.boolean().default(false),
    askAgain: z.boolean().default(false),
  })
  .refine((n) => !n.askAgain || n.requiresReconsent, {
    path: ['askAgain'],
    message: 'Asking everyone again only applies when the change requires fresh consent',
  });

export type FieldErrors = Record<string, string>;
/** A refused form: `field` is the first wrong field, `fieldErrors` the message beside each. */
export type FormFailure = Failure<'invalid_field'> & { fieldErrors: FieldErrors };
export type AdminResult<T> = Result<T, FormFailure>;
export type Actor = { id: number };

function refuse(field: string, message: string): Err<FormFailure> {
  return refuseAll({ [field]: message });
}

function refuseAll(fieldErrors: FieldErrors): Err<FormFailure> {
  const [field, message] = Object.entries(fieldErrors)[0] ?? ['form', 'Check the form'];
  return { ok: false, error: { code: 'invalid_field', message, field, fieldErrors } };
}

/** First message per top-level field: what the form shows beside each input. */
function fieldErrorsOf(error: z.ZodError): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) {
    const field = issue.path.length ? String(issue.path[0]) : 'form';
    errors[field] ??= issue.message;
  }
  return errors;
}

/** "key | Name" per line, the form's way of entering recipients; blank lines ignored. */
export function parseRecipientLines(text: string): Recipient[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const bar = line.indexOf('|');
      return bar < 0
        ? { key: line, name: '' }
        : { key: line.slice(0, bar).trim(), name: line.slice(bar + 1).trim() };
    });
}

/**
 * Whether the purpose's current notice, in every language it is published in, tells people that
 * link clicks are recorded: the condition for turning click tracking on.
 */
async function noticeMentionsClicks(db: Parameters<typeof currentNotice>[0], purposeId: number) {
  const texts = [];
  for (const locale of ['en', 'de']) {
    const notice = await currentNotice(db, purposeId, locale);
    if (notice) texts.push(notice.text);
  }
  // One sentence naming both links and clicks ("we record which links you click"), not just
  // "unsubscribe with one click".
  const says = (text: string) => text.split(/[.!?]\s/).some((s) => /link/i.test(s) && /click|klick/i.test(s));
  return texts.length > 0 && texts.every(says);
}

export async function listPurposesOverview(): Promise<PurposeAdminView[]> {
  return listPurposesForAdmin();
}

/** The newest version per locale, e.g. { en: 3, de: 2 } when v3 was published in English only. */
export function currentNoticeVersions(view: Pick<PurposeAdminView, 'notices'>): Record<string, number> {
  const current: Record<string, number> = {};
  for (const notice of view.notices)
    current[notice.locale] = Math.max(current[notice.locale] ?? 0, notice.version);
  return current;
}

export async function createPurpose(
  input: unknown,
  actor: Actor,
): Promise<AdminResult<{ id: number; key: string }>> {
  const parsed = purposeSchema.safeParse(input);
  if (!parsed.success) return refuseAll(fieldErrorsOf(parsed.error));
  const values = parsed.data;
  if (values.clickTracking)
    return refuse(
      'clickTracking',
      'Click tracking needs a notice that says link clicks are recorded: publish one, then turn it on.',
    );
  return await writeTransaction(async (db) => {
    if (await purposeRowByKey(db, values.key))
      return refuse('key', `A purpose with the key "${values.key}" already exists`);
    const row = await insertPurposeRow(db, values);
    await insertAudit(db, {
      actorType: 'user',
      actorId: actor.id,
      action: 'purpose.created',
      targetType: 'purpose',
      targetId: row.id,
      details: {
        key: row.key,
        legalBasis: row.legalBasis,
        retentionDays: row.retentionDays,
        recipients: row.recipients.map((r) => r.key),
      },
    });
    return ok({ id: row.id, key: row.key });
  });
}

/**
 * Edits a purpose. The key never changes (journeys, the API and the ledger refer to it). The legal
 * basis may only change while no consent event exists for the purpose: afterwards the recorded
 * evidence was collected under that basis, so a different basis needs a new purpose.
 */
export async function updatePurpose(
  input: unknown,
  actor: Actor,
): Promise<AdminResult<{ changed: string[] }>> {
  const parsed = purposeSchema.safeParse(input);
  if (!parsed.success) return refuseAll(fieldErrorsOf(parsed.error));
  const { key, ...values } = parsed.data;
  return await writeTransaction(async (db) => {
    const current = await purposeRowByKey(db, key);
    if (!current) return refuse('form', `Unknown purpose "${key}"`);
    if (values.clickTracking && !current.clickTracking && !(await noticeMentionsClicks(db, current.id)))
      return refuse(
        'clickTracking',
        'The current notice of this purpose does not say that link clicks are recorded: publish a notice version that does (e.g. “we record which links in our mails you click”), then turn click tracking on.',
      );
    if (values.legalBasis !== current.legalBasis && (await purposeHasLedgerEvents(db, current.id))) {
      return refuse(
        'legalBasis',
        `The legal basis cannot change: consent records already exist for "${current.name}" under ${current.legalBasis}. Create a new purpose instead.`,
      );
    }
    const changed = (Object.keys(values) as (keyof typeof values)[]).filter(
      (field) => JSON.stringify(values[field]) !== JSON.stringify(current[field]),
    );
    if (changed.length === 0) return ok({ changed });
    await updatePurposeRow(db, current.id, values);
    await insertAudit(db, {
      actorType: 'user',
      actorId: actor.id,
      action: 'purpose.updated',
      targetType: 'purpose',
      targetId: current.id,
      details: {
        key,
        changed,
        ...(changed.includes('legalBasis')
          ? { legalBasis: { from: current.legalBasis, to: values.legalBasis } }
          : {}),
      },
    });
    return ok({ changed });
  });
}

export async function addTheme(input: unknown, actor: Actor): Promise<AdminResult<{ id: number }>> {
  const parsed = themeSchema.safeParse(input);
  if (!parsed.success) return refuseAll(fieldErrorsOf(parsed.error));
  const { purposeKey, ...theme } = parsed.data;
  return await writeTransaction(async (db) => {
    const purpose = await purposeRowByKey(db, purposeKey);
    if (!purpose) return refuse('form', `Unknown purpose "${purposeKey}"`);
    if (await themeOfPurpose(db, purpose.id, theme.key))
      return refuse('key', `"${purpose.name}" already has a theme with the key "${theme.key}"`);
    const row = await insertThemeRow(db, { purposeId: purpose.id, ...theme });
    await insertAudit(db, {
      actorType: 'user',
      actorId: actor.id,
      action: 'theme.created',
      targetType: 'purpose',
      targetId: purpose.id,
      details: { themeId: row.id, themeKey: row.key },
    });
    return ok({ id: row.id });
  });
}

/** Renames a theme (name and description); its key stays, since consents are recorded under it. */
export async function renameTheme(input: unknown, actor: Actor): Promise<AdminResult<{ id: number }>> {
  const parsed = themeSchema.safeParse(input);
  if (!parsed.success) return refuseAll(fieldErrorsOf(parsed.error));
  const { purposeKey, key, ...values } = parsed.data;
  return await writeTransaction(async (db) => {
    const purpose = await purposeRowByKey(db, purposeKey);
    const theme = purpose && (await themeOfPurpose(db, purpose.id, key));
    if (!purpose || !theme) return refuse('form', `Unknown theme "${key}"`);
    await updateThemeRow(db, theme.id, values);
    await insertAudit(db, {
      actorType: 'user',
      actorId: actor.id,
      action: 'theme.renamed',
      targetType: 'purpose',
      targetId: purpose.id,
      details: { themeId: theme.id, themeKey: key },
    });
    return ok({ id: theme.id });
  });
}

/** Publishes the next notice version (English required, German optional) through publishNotice. */
export async function publishPurposeNotice(
  input: unknown,
  actor: Actor,
): Promise<AdminResult<{ version: number; asked: number }>> {
  const parsed = publishNoticeSchema.safeParse(input);
  if (!parsed.success) return refuseAll(fieldErrorsOf(parsed.error));
  const { purposeKey, en, de, requiresReconsent, askAgain } = parsed.data;
  return await writeTransaction(async (db) => {
    const result = await publishNotice(db, {
      purposeKey,
      texts: { en, de },
      requiresReconsent,
      askAgain,
      createdBy: actor.id,
    });
    if (!result.ok) return refuse('form', result.reason);
    return ok({ version: result.version, asked: result.asked });
  });
}
