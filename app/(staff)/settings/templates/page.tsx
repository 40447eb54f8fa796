import Link from 'next/link';
import { requirePermission } from '@/app/_lib/session';
import { listTemplates, type MessageTemplate } from '@/lib/messages/templates';
import { archiveTemplateAction } from './actions';
import { LocalTime } from '@/components/LocalTime';

export const metadata = { title: 'Message templates' };
export const dynamic = 'force-dynamic';

export default async function TemplatesPage() {
  await requirePermission('messages:design');
  const [active, archived] = await Promise.all([listTemplates(), listTemplates({ archived: true })]);
  return (
    <>
      <h1>Message templates</h1>
      <p className="muted">
        Reusable messages for send steps. A journey copies the template&apos;s current version when it is
        published, so editing a template changes live journeys only when they are published again. Every mail
        gets the <Link href="/settings/messages">workspace layout</Link> and the legally required footer.
      </p>
      <p>
        <Link href="/settings/templates/new" className="button primary" data-testid="new-template">
          New template
        </Link>
      </p>
      <TemplateTable templates={active} caption="Templates" />
      {archived.length > 0 && <TemplateTable templates={archived} caption="Archived templates" />}
    </>
  );
}

function TemplateTable({ templates, caption }: { templates: MessageTemplate[]; caption: string }) {
  return (
    <div className="table-wrap" style={{ marginBottom: '1.5rem' }}>
      <table data-testid={caption === 'Templates' ? 'templates-table' : 'archived-templates-table'}>
        <caption style={{ textAlign: 'left', fontWeight: 600 }}>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Languages</th>
            <th scope="col">Version</th>
            <th scope="col">Changed</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {templates.map((template) => (
            <tr key={template.id}>
              <td>
                <Link href={`/settings/templates/${template.id}`}>{template.name}</Link>
                {template.description && <div className="muted">{template.description}</div>}
              </td>
              <td>{Object.keys(template.content.variants).join(', ')}</td>
              <td>{template.version}</td>
              <td>
                <LocalTime iso={template.updatedAt} style="date" />
              </td>
              <td>
                <form action={archiveTemplateAction}>
                  <input type="hidden" name="id" value={template.id} />
                  <input type="hidden" name="archived" value={template.archived ? 'false' : 'true'} />
                  <button
                    type="submit"
                    aria-label={`${template.archived ? 'Restore' : 'Archive'} ${template.name}`}
                  >
                    {template.archived ? 'Restore' : 'Archive'}
                  </button>
                </form>
              </td>
            </tr>
          ))}
          {templates.length === 0 && (
            <tr>
              <td colSpan={5} className="muted">
                No templates yet.
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
