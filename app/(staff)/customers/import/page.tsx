import { requirePermission } from '@/app/_lib/session';
import { listPurposesWithThemes } from '@/lib/api/catalog';
import { ImportWizard } from './ImportWizard';

export const metadata = { title: 'Import customers' };
export const dynamic = 'force-dynamic';

export default async function ImportPage() {
  await requirePermission('import:run');
  const purposes = await listPurposesWithThemes();
  return (
    <>
      <h1>Import customers</h1>
      <p className="muted">
        Upload a CSV file with a header row, map its columns, check it with a dry run, then import. Existing
        customers are matched by external id and email. A consent column is only imported together with a
        source and an evidence column; addresses erased at the person&apos;s request are skipped.
      </p>
      <ImportWizard
        purposes={purposes
          .filter((p) => p.legalBasis === 'consent')
          .map((p) => ({ key: p.key, name: p.name }))}
      />
    </>
  );
}
