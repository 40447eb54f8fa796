import Link from 'next/link';
import { notFound } from 'next/navigation';
import { requirePermission } from '@/app/_lib/session';
import { listPurposesWithThemes } from '@/lib/journeys/queries';
import { findTemplate } from '@/lib/messages/templates';
import { TemplateForm } from '../TemplateForm';

export const metadata = { title: 'Message template' };
export const dynamic = 'force-dynamic';

export default async function TemplatePage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ created?: string }>;
}) {
  await requirePermission('messages:design');
  const id = Number((await params).id);
  const template = Number.isSafeInteger(id) && id > 0 ? await findTemplate(id) : undefined;
  if (!template) notFound();
  const purposes = await listPurposesWithThemes();
  const created = (await searchParams).created === '1';
  return (
    <>
      <p>
        <Link href="/settings/templates">← Message templates</Link>
      </p>
      <h1>{template.name}</h1>
      <p className="muted" data-testid="template-version">
        Version {template.version}
        {template.archived ? ' · archived (restore it on the list to edit)' : ''}
      </p>
      {created && (
        <p role="status" data-testid="template-created">
          Template created.
        </p>
      )}
      <TemplateForm
        key={template.version}
        template={template}
        purposes={purposes.map(({ key, name }) => ({ key, name }))}
        readOnly={template.archived}
      />
    </>
  );
}
