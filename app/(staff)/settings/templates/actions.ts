'use server';
import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { formId, parseForm } from '@/app/_lib/form';
import { requirePermission } from '@/app/_lib/session';
import { messageContentSchema } from '@/lib/messages/content';
import { createTemplate, setTemplateArchived, updateTemplate } from '@/lib/messages/templates';
import { ok, type Result } from '@/lib/result';

export type TemplateFormState = Result<{ message: string }> | null;

/** The editor sends the designed message as JSON in one field; zod checks it like an API body. */
const contentField = z.string().transform((text, ctx) => {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    ctx.addIssue({ code: 'custom', message: 'The message could not be read' });
    return z.NEVER;
  }
});

const templateFormSchema = z.strictObject({
  id: formId.optional(),
  name: z.string().trim().min(1, 'Give the template a name').max(200),
  description: z.string().trim().max(1000).default(''),
  content: contentField.pipe(messageContentSchema),
});

// Server actions carry Next's origin check against CSRF; the role is checked again on every call.
export async function saveTemplateAction(
  _previous: TemplateFormState,
  form: FormData,
): Promise<TemplateFormState> {
  const staff = await requirePermission('messages:design');
  const parsed = parseForm(templateFormSchema, form);
  if (!parsed.ok) return parsed;
  const { id, ...input } = parsed.value;
  if (id === undefined) {
    const created = await createTemplate(staff, input);
    if (!created.ok) return created;
    revalidatePath('/settings/templates');
    redirect(`/settings/templates/${created.value.id}?created=1`);
  }
  const updated = await updateTemplate(staff, id, input);
  if (!updated.ok) return updated;
  revalidatePath('/settings/templates', 'layout');
  return ok({ message: `Saved as version ${updated.value.version}.` });
}

const archiveSchema = z.strictObject({ id: formId, archived: z.enum(['true', 'false']) });

export async function archiveTemplateAction(form: FormData): Promise<void> {
  const staff = await requirePermission('messages:design');
  const parsed = parseForm(archiveSchema, form);
  if (!parsed.ok) return;
  await setTemplateArchived(staff, parsed.value.id, parsed.value.archived === 'true');
  revalidatePath('/settings/templates', 'layout');
}
