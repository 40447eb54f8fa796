'use server';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { requirePermission } from '@/app/_lib/session';
import { formText, parseForm } from '@/app/_lib/form';
import { JOURNEY_TEMPLATE_KEYS } from '@/lib/journey/templates';
import { createJourney } from '@/lib/journeys/service';

const newJourneyForm = z.object({
  name: z.string().max(200),
  template: z.enum(['empty', ...JOURNEY_TEMPLATE_KEYS], { error: 'Choose how to start' }),
  purpose: formText(100),
});

// Server actions carry Next's origin check against CSRF; the permission is checked here again.
export async function createJourneyAction(form: FormData) {
  const staff = await requirePermission('journeys:edit');
  const input = parseForm(newJourneyForm, form);
  const failed = (message: string, field?: string) =>
    redirect(
      `/journeys/new?${new URLSearchParams({ err: message, ...(field ? { field } : {}), ...(input.ok ? { template: input.value.template } : {}) })}`,
    );
  if (!input.ok) return failed(input.error.message, input.error.field);
  const { name, template, purpose } = input.value;
  const created = await createJourney(staff, name, template === 'empty' ? undefined : { template, purpose });
  if (!created.ok) return failed(created.error.message, created.error.field);
  redirect(`/journeys/${created.value.id}`);
}
