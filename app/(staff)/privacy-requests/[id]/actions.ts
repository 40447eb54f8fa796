'use server';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { formId, parseForm } from '@/app/_lib/form';
import { requirePermission } from '@/app/_lib/session';
import { staffRequestAction } from '@/lib/privacy/staff';

const DONE = { start: 'started', extend: 'extended', complete: 'completed', reject: 'rejected' } as const;

const requestForm = z.object({
  requestId: formId,
  action: z.enum(['start', 'extend', 'complete', 'reject'], { error: 'Unknown action' }),
  reason: z.string().max(5000).default(''),
  note: z.string().max(5000).default(''),
});

// Server actions carry Next's origin check against CSRF; the permission is checked here again.
export async function requestAction(form: FormData) {
  const staff = await requirePermission('privacy:manage');
  const input = parseForm(requestForm, form);
  if (!input.ok) {
    const id = formId.safeParse(form.get('requestId'));
    redirect(
      id.success
        ? `/privacy-requests/${id.data}?err=${encodeURIComponent(input.error.message)}`
        : '/privacy-requests',
    );
  }
  const { requestId, action, reason, note } = input.value;
  const result = await staffRequestAction(staff, requestId, action, { reason, note });
  const flash = result.ok
    ? `msg=${encodeURIComponent(`Request ${DONE[action]}.`)}`
    : `err=${encodeURIComponent(result.error.message)}`;
  redirect(`/privacy-requests/${requestId}?${flash}`);
}
