import Link from 'next/link';
import { notFound } from 'next/navigation';
import { requirePermission } from '@/app/_lib/session';
import { can } from '@/lib/auth/roles';
import { currentNoticeVersions, listPurposesOverview } from '@/lib/privacy/purposes-admin';
import { LEGAL_BASIS_LABELS } from '../legal-bases';
import { NoticeForm, PurposeForm } from '../PurposeForms';
import { AddThemeForm, RenameThemeForm } from '../ThemeForms';
import { LocalTime } from '@/components/LocalTime';

export const metadata = { title: 'Purpose' };
export const dynamic = 'force-dynamic';

const when = (date: Date) => <LocalTime iso={new Date(date)} />;

export default async function PurposePage({ params }: { params: Promise<{ key: string }> }) {
  const staff = await requirePermission('purposes:view');
  const canManage = can(staff.role, 'settings:manage');
  const { key } = await params;
  const purpose = (await listPurposesOverview()).find((p) => p.key === key);
  if (!purpose) notFound();
  const versions = currentNoticeVersions(purpose);
  const currentText = (locale: string) =>
    purpose.notices.find((n) => n.locale === locale && n.version === versions[locale])?.text ?? '';
  return (
    <>
      <p>
        <Link href="/settings/purposes">← Purposes &amp; notices</Link>
      </p>
      <h1>{purpose.name}</h1>
      <p className="muted">
        <span style={{ fontFamily: 'var(--mono)' }}>{purpose.key}</span> ·{' '}
        {LEGAL_BASIS_LABELS[purpose.legalBasis]} · kept {purpose.retentionDays} days
      </p>
      {purpose.description && <p>{purpose.description}</p>}
      {canManage && (
        <PurposeForm
          purpose={{
            key: purpose.key,
            name: purpose.name,
            description: purpose.description,
            legalBasis: purpose.legalBasis,
            retentionDays: purpose.retentionDays,
            recipients: purpose.recipients,
            retentionDuty: purpose.retentionDuty,
            nameDe: purpose.translations.de?.name ?? '',
            descriptionDe: purpose.translations.de?.description ?? '',
            clickTracking: purpose.clickTracking,
            honoursGpc: purpose.honoursGpc,
          }}
        />
      )}

      <h2>Themes</h2>
      <div className="table-wrap" style={{ marginBottom: '1rem' }}>
        <table data-testid="themes-table">
          <thead>
            <tr>
              <th scope="col">Key</th>
              <th scope="col">Name and description</th>
            </tr>
          </thead>
          <tbody>
            {purpose.themes.map((theme) => (
              <tr key={theme.id} data-testid={`theme-${theme.key}`}>
                <td style={{ fontFamily: 'var(--mono)' }}>{theme.key}</td>
                <td>
                  {canManage ? (
                    <RenameThemeForm
                      purposeKey={purpose.key}
                      theme={{
                        key: theme.key,
                        name: theme.name,
                        description: theme.description,
                        nameDe: theme.translations.de?.name ?? '',
                        descriptionDe: theme.translations.de?.description ?? '',
                      }}
                    />
                  ) : (
                    <>
                      {theme.name}
                      <div className="muted">{theme.description}</div>
                    </>
                  )}
                </td>
              </tr>
            ))}
            {purpose.themes.length === 0 && (
              <tr>
                <td colSpan={2} className="muted">
                  No themes: people opt into the purpose as a whole.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      {canManage && <AddThemeForm purposeKey={purpose.key} />}

      <h2>Notice</h2>
      {canManage && (
        <NoticeForm purposeKey={purpose.key} current={{ en: currentText('en'), de: currentText('de') }} />
      )}
      <h3>Version history</h3>
      <div className="table-wrap">
        <table data-testid="notice-history">
          <thead>
            <tr>
              <th scope="col">Version</th>
              <th scope="col">Language</th>
              <th scope="col">Published</th>
              <th scope="col">Fresh consent</th>
              <th scope="col">Text hash (sha256)</th>
              <th scope="col">Text</th>
            </tr>
          </thead>
          <tbody>
            {purpose.notices.map((notice) => (
              <tr key={notice.id} data-testid={`notice-v${notice.version}-${notice.locale}`}>
                <td>v{notice.version}</td>
                <td>{notice.locale}</td>
                <td>{when(notice.createdAt)}</td>
                <td>{notice.requiresReconsent ? <span className="badge pending">required</span> : '—'}</td>
                <td style={{ fontFamily: 'var(--mono)', fontSize: '0.8rem' }} title={notice.textHash}>
                  {notice.textHash.slice(0, 16)}…
                </td>
                <td>
                  <details>
                    <summary>Show text</summary>
                    <p lang={notice.locale} style={{ whiteSpace: 'pre-wrap' }}>
                      {notice.text}
                    </p>
                  </details>
                </td>
              </tr>
            ))}
            {purpose.notices.length === 0 && (
              <tr>
                <td colSpan={6} className="muted">
                  No notice published yet: sign-up forms cannot ask for this purpose until one is.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
    </>
  );
}
