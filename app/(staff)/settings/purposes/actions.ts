'use server';
import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { requirePermission } from '@/app/_lib/session';
import {
  addTheme,
  createPurpose,
  parseRecipientLines,
  publishPurposeNotice,
  renameTheme,
  updatePurpose,
  type AdminResult,
} from '@/lib/privacy/purposes-admin';

/** What a form shows after submitting: a confirmation, or inline errors with the values typed. */
export type PurposeFormState =
  | { ok: true; message: string }
  | { ok: false; fieldErrors: Record<string, string>; values: Record<string, string> }
  | null;

const text = (form: FormData, name: string) => form.get(name)?.toString() ?? '';

function valuesOf(form: FormData): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [name, value] of form.entries())
    if (typeof value === 'string' && !name.startsWith('$')) values[name] = value;
  return values;
}

function purposeInput(form: FormData) {
  return {
    key: text(form, 'key'),
    name: text(form, 'name'),
    description: text(form, 'description'),
    legalBasis: text(form, 'legalBasis'),
    retentionDays: text(form, 'retentionDays'),
    recipients: parseRecipientLines(text(form, 'recipients')),
    retentionDuty: text(form, 'retentionDuty'),
    nameDe: text(form, 'nameDe'),
    descriptionDe: text(form, 'descriptionDe'),
    clickTracking: form.get('clickTracking') === 'on',
    honoursGpc: form.get('honoursGpc') === 'on',
  };
}

function toState<T>(result: AdminResult<T>, form: FormData, message: (value: T) => string): PurposeFormState {
  if (!result.ok) return { ok: false, fieldErrors: result.error.fieldErrors, values: valuesOf(form) };
  return { ok: true, message: message(result.value) };
}

// Server actions carry Next's origin check against CSRF; the role is checked again here on every call.
export async function createPurposeAction(
  _previous: PurposeFormState,
  form: FormData,
): Promise<PurposeFormState> {
  const staff = await requirePermission('settings:manage');
  const result = await createPurpose(purposeInput(form), staff);
  if (!result.ok) return toState(result, form, () => '');
  revalidatePath('/settings/purposes');
  redirect(`/settings/purposes/${result.value.key}`);
}

export async function updatePurposeAction(
  _previous: PurposeFormState,
  form: FormData,
): Promise<PurposeFormState> {
  const staff = await requirePermission('settings:manage');
  const result = await updatePurpose(purposeInput(form), staff);
  revalidatePath('/settings/purposes', 'layout');
  return toState(result, form, ({ changed }) =>
    changed.length ? `Saved: ${changed.join(', ')} changed.` : 'Nothing changed.',
  );
}

export async function addThemeAction(_previous: PurposeFormState, form: FormData): Promise<PurposeFormState> {
  const staff = await requirePermission('settings:manage');
  const result = await addTheme(
    {
      purposeKey: text(form, 'purposeKey'),
      key: text(form, 'key'),
      name: text(form, 'name'),
      description: text(form, 'description'),
      nameDe: text(form, 'nameDe'),
      descriptionDe: text(form, 'descriptionDe'),
    },
    staff,
  );
  revalidatePath('/settings/purposes', 'layout');
  return toState(result, form, () => 'Theme added.');
}

export async function renameThemeAction(
  _previous: PurposeFormState,
  form: FormData,
): Promise<PurposeFormState> {
  const staff = await requirePermission('settings:manage');
  const result = await renameTheme(
    {
      purposeKey: text(form, 'purposeKey'),
      key: text(form, 'key'),
      name: text(form, 'name'),
      description: text(form, 'description'),
      nameDe: text(form, 'nameDe'),
      descriptionDe: text(form, 'descriptionDe'),
    },
    staff,
  );
  revalidatePath('/settings/purposes', 'layout');
  return toState(result, form, () => 'Theme renamed.');
}

export async function publishNoticeAction(
  _previous: PurposeFormState,
  form: FormData,
): Promise<PurposeFormState> {
  const staff = await requirePermission('settings:manage');
  const result = await publishPurposeNotice(
    {
      purposeKey: text(form, 'purposeKey'),
      en: text(form, 'en'),
      de: text(form, 'de'),
      requiresReconsent: form.get('requiresReconsent') === 'on',
      askAgain: form.get('askAgain') === 'on',
    },
    staff,
  );
  revalidatePath('/settings/purposes', 'layout');
  return toState(
    result,
    form,
    ({ version, asked }) =>
      `Notice version ${version} published.${asked ? ` ${asked} customer${asked === 1 ? '' : 's'} asked to confirm again.` : ''}`,
  );
}
