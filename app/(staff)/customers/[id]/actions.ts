'use server';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { requirePermission } from '@/app/_lib/session';
import { BLOCK_SCOPES, CHANNELS, PRIVACY_REQUEST_KINDS, STAFF_BLOCK_REASONS } from '@/lib/vocabulary';
import { formId, formList, formRefusal, formText, parseForm } from '@/app/_lib/form';
import {
  staffCreateRequest,
  staffForget,
  staffLiftBlock,
  staffRequestOptIn,
  staffSetBlock,
  type StaffResult,
} from '@/lib/privacy/staff';

/** Back to the customer page with the confirmation or the reason nothing changed. */
function back(customerId: number, result: StaffResult): never {
  const flash = result.ok
    ? `msg=${encodeURIComponent(result.value)}`
    : `err=${encodeURIComponent(result.error.message)}`;
  redirect(`/customers/${customerId}?${flash}`);
}

/** Every form on the customer page names its customer; without a valid one there is no page to go back to. */
function customerIdOf(form: FormData): number {
  const id = formId.safeParse(form.get('customerId'));
  if (!id.success) redirect('/customers');
  return id.data;
}

const setBlockForm = z.object({
  scope: z.enum(BLOCK_SCOPES, { error: 'Choose a scope and a reason.' }),
  reason: z.enum(STAFF_BLOCK_REASONS, { error: 'Choose a scope and a reason.' }),
  channel: z.enum(CHANNELS).optional().catch(undefined),
  themeKey: formText(100),
  evidence: z.string().max(2000).default(''),
});

// Server actions carry Next's origin check against CSRF; the permission is checked again in each.
export async function setBlockAction(form: FormData) {
  const staff = await requirePermission('customers:edit');
  const customerId = customerIdOf(form);
  const input = parseForm(setBlockForm, form);
  if (!input.ok) back(customerId, input);
  back(customerId, await staffSetBlock(staff, { customerId, ...input.value }));
}

const liftBlockForm = z.object({ blockId: formId, reason: z.string().max(2000).default('') });

export async function liftBlockAction(form: FormData) {
  const staff = await requirePermission('customers:edit');
  const customerId = customerIdOf(form);
  const input = parseForm(liftBlockForm, form);
  if (!input.ok) back(customerId, input);
  back(customerId, await staffLiftBlock(staff, input.value.blockId, input.value.reason));
}

const optInForm = z.object({ purposeKey: z.string().min(1).max(100), theme: formList(z.string().max(200)) });

export async function requestOptInAction(form: FormData) {
  const staff = await requirePermission('customers:edit');
  const customerId = customerIdOf(form);
  const input = parseForm(optInForm, form);
  if (!input.ok) back(customerId, input);
  const { purposeKey, theme } = input.value;
  // Theme checkboxes are named "<purpose>:<theme>" so one form can list every purpose's themes.
  const themes = theme
    .filter((t) => t.startsWith(`${purposeKey}:`))
    .map((t) => t.slice(purposeKey.length + 1));
  back(customerId, await staffRequestOptIn(staff, { customerId, purposeKey, themes }));
}

const createRequestForm = z.object({
  kind: z.enum(PRIVACY_REQUEST_KINDS, { error: 'Choose the kind of request.' }),
  note: z.string().max(5000).default(''),
});

export async function createRequestAction(form: FormData) {
  const staff = await requirePermission('privacy:manage');
  const customerId = customerIdOf(form);
  const input = parseForm(createRequestForm, form);
  if (!input.ok) back(customerId, input);
  back(customerId, await staffCreateRequest(staff, { customerId, ...input.value }));
}

const forgetForm = z.object({
  understood: z.string().optional(),
  confirmText: z.string().max(100).default(''),
});

export async function forgetAction(form: FormData) {
  const staff = await requirePermission('customers:edit');
  const customerId = customerIdOf(form);
  const input = parseForm(forgetForm, form);
  if (!input.ok || input.value.understood !== 'yes' || input.value.confirmText.trim() !== 'ERASE') {
    back(customerId, formRefusal('To erase, tick the box and type ERASE.', 'confirmText'));
  }
  back(customerId, await staffForget(staff, customerId));
}
