import Link from 'next/link';
import { requirePermission } from '@/app/_lib/session';
import { can } from '@/lib/auth/roles';
import { currentNoticeVersions, listPurposesOverview } from '@/lib/privacy/purposes-admin';
import { LEGAL_BASIS_LABELS } from './legal-bases';
import { PurposeForm } from './PurposeForms';

export const metadata = { title: 'Purposes & notices' };
export const dynamic = 'force-dynamic';

export default async function PurposesPage() {
  const staff = await requirePermission('purposes:view');
  const canManage = can(staff.role, 'settings:manage');
  const purposes = await listPurposesOverview();
  return (
    <>
      <h1>Purposes &amp; notices</h1>
      <p className="muted">
        Every purpose has one legal basis (GDPR Art. 6(1)), a retention period and its named recipients.
        Themes are what people opt into in the preference center; the notice is the text they agree to,
        versioned per language.
      </p>
      <div className="table-wrap" style={{ marginBottom: '1.5rem' }}>
        <table data-testid="purposes-table">
          <thead>
            <tr>
              <th scope="col">Purpose</th>
              <th scope="col">Legal basis</th>
              <th scope="col">Retention</th>
              <th scope="col">Recipients</th>
              <th scope="col">Retention duty</th>
              <th scope="col">Themes</th>
              <th scope="col">Notice</th>
            </tr>
          </thead>
          <tbody>
            {purposes.map((purpose) => {
              const versions = currentNoticeVersions(purpose);
              return (
                <tr key={purpose.id} data-testid={`purpose-${purpose.key}`}>
                  <td>
                    <Link href={`/settings/purposes/${purpose.key}`}>{purpose.name}</Link>
                    <div className="muted" style={{ fontSize: '0.8rem', fontFamily: 'var(--mono)' }}>
                      {purpose.key}
                    </div>
                  </td>
                  <td>{LEGAL_BASIS_LABELS[purpose.legalBasis]}</td>
                  <td>{purpose.retentionDays} days</td>
                  <td>
                    {purpose.recipients.length ? purpose.recipients.map((r) => r.name).join(', ') : '—'}
                  </td>
                  <td>{purpose.retentionDuty ?? '—'}</td>
                  <td>{purpose.themes.length ? purpose.themes.map((t) => t.name).join(', ') : '—'}</td>
                  <td data-testid={`notice-versions-${purpose.key}`}>
                    {Object.keys(versions).length
                      ? Object.entries(versions)
                          .map(([locale, version]) => `${locale} v${version}`)
                          .join(', ')
                      : 'none yet'}
                  </td>
                </tr>
              );
            })}
            {purposes.length === 0 && (
              <tr>
                <td colSpan={7} className="muted">
                  No purposes yet.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      {canManage && <PurposeForm />}
    </>
  );
}
