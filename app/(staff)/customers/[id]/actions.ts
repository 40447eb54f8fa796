'use server';
import { redirect } from 'next/navigation';
import { requirePermission } from '@/app/_lib/session';
import { BLOCK_REASONS, BLOCK_SCOPES, CHANNELS, PRIVACY_REQUEST_KINDS } from '@/lib/vocabulary';
import {
  staffCreateRequest,
  staffForget,
  staffLiftBlock,
  staffRequestOptIn,
  staffSetBlock,
  type StaffResult,
} from '@/lib/privacy/staff';

function back(customerId: number, result: StaffResult): never {
  redirect(`/customers/${customerId}?${result.ok ? 'msg' : 'err'}=${encodeURIComponent(result.message)}`);
}

const pick = <T extends string>(allowed: readonly T[], value: FormDataEntryValue | null): T | undefined =>
  allowed.includes(String(value) as T) ? (String(value) as T) : undefined;

// Server actions carry Next's origin check against CSRF; the permission is checked again in each.
export async function setBlockAction(form: FormData) {
  const staff = await requirePermission('customers:edit');
  const customerId = Number(form.get('customerId'));
  const scope = pick(BLOCK_SCOPES, form.get('scope'));
  const reason = pick(BLOCK_REASONS, form.get('reason'));
  if (!scope || !reason) back(customerId, { ok: false, message: 'Choose a scope and a reason.' });
  back(
    customerId,
    await staffSetBlock(staff, {
      customerId,
      scope,
      reason,
      channel: pick(CHANNELS, form.get('channel')),
      themeKey: String(form.get('themeKey') ?? '').trim() || undefined,
      evidence: String(form.get('evidence') ?? ''),
    }),
  );
}

export async function liftBlockAction(form: FormData) {
  const staff = await requirePermission('customers:edit');
  const customerId = Number(form.get('customerId'));
  back(
    customerId,
    await staffLiftBlock(staff, Number(form.get('blockId')), String(form.get('reason') ?? '')),
  );
}

export async function requestOptInAction(form: FormData) {
  const staff = await requirePermission('customers:edit');
  const customerId = Number(form.get('customerId'));
  const purposeKey = String(form.get('purposeKey') ?? '');
  const themes = form
    .getAll('theme')
    .map(String)
    .filter((t) => t.startsWith(`${purposeKey}:`))
    .map((t) => t.slice(purposeKey.length + 1));
  back(customerId, await staffRequestOptIn(staff, { customerId, purposeKey, themes }));
}

export async function createRequestAction(form: FormData) {
  const staff = await requirePermission('privacy:manage');
  const customerId = Number(form.get('customerId'));
  const kind = pick(PRIVACY_REQUEST_KINDS, form.get('kind'));
  if (!kind) back(customerId, { ok: false, message: 'Choose the kind of request.' });
  back(
    customerId,
    await staffCreateRequest(staff, { customerId, kind, note: String(form.get('note') ?? '') }),
  );
}

export async function forgetAction(form: FormData) {
  const staff = await requirePermission('customers:edit');
  const customerId = Number(form.get('customerId'));
  if (form.get('understood') !== 'yes' || String(form.get('confirmText') ?? '').trim() !== 'ERASE') {
    back(customerId, { ok: false, message: 'To erase, tick the box and type ERASE.' });
  }
  back(customerId, await staffForget(staff, customerId));
}
