'use server';
import { redirect } from 'next/navigation';
import { requirePermission } from '@/app/_lib/session';
import { staffRequestAction } from '@/lib/privacy/staff';

const ACTIONS = ['start', 'extend', 'complete', 'reject'] as const;

// Server actions carry Next's origin check against CSRF; the permission is checked here again.
export async function requestAction(form: FormData) {
  const staff = await requirePermission('privacy:manage');
  const id = Number(form.get('requestId'));
  const action = ACTIONS.find((a) => a === form.get('action'));
  if (!action) redirect(`/privacy-requests/${id}?err=${encodeURIComponent('Unknown action')}`);
  const result = await staffRequestAction(staff, id, action, {
    reason: String(form.get('reason') ?? ''),
    note: String(form.get('note') ?? ''),
  });
  redirect(
    `/privacy-requests/${id}?${result.ok ? `msg=${encodeURIComponent(`Request ${action === 'extend' ? 'extended' : action === 'start' ? 'started' : `${action}d`}.`)}` : `err=${encodeURIComponent(result.reason)}`}`,
  );
}
