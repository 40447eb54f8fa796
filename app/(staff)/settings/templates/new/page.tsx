import Link from 'next/link';
import { requirePermission } from '@/app/_lib/session';
import { listPurposesWithThemes } from '@/lib/journeys/queries';
import { TemplateForm } from '../TemplateForm';

export const metadata = { title: 'New message template' };
export const dynamic = 'force-dynamic';

export default async function NewTemplatePage() {
  await requirePermission('messages:design');
  const purposes = await listPurposesWithThemes();
  return (
    <>
      <p>
        <Link href="/settings/templates">← Message templates</Link>
      </p>
      <h1>New message template</h1>
      <TemplateForm purposes={purposes.map(({ key, name }) => ({ key, name }))} readOnly={false} />
    </>
  );
}
