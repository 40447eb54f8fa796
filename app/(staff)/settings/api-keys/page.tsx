import { requirePermission } from '@/app/_lib/session';
import { listKeySummaries } from '@/lib/auth/api-keys';
import { revokeKeyAction } from './actions';
import { CreateKeyForm } from './CreateKeyForm';
import { LocalTime } from '@/components/LocalTime';

export const metadata = { title: 'API keys' };
export const dynamic = 'force-dynamic';

const when = (date: Date | null) => <LocalTime iso={date} />;

export default async function ApiKeysPage() {
  await requirePermission('apikeys:manage');
  const keys = await listKeySummaries();
  return (
    <>
      <h1>API keys</h1>
      <p className="muted">
        Keys let the web shop, the CRM and sign-up forms use the <a href="/settings/api">API</a>. Only a hash
        is stored.
      </p>
      <div className="table-wrap" style={{ marginBottom: '1.5rem' }}>
        <table>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Key starts</th>
              <th scope="col">Scopes</th>
              <th scope="col">Created</th>
              <th scope="col">Last used</th>
              <th scope="col">Expires</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {keys.map((key) => (
              <tr key={key.id} data-testid={`api-key-${key.id}`}>
                <td>{key.name}</td>
                <td>
                  <code>{key.prefix}…</code>
                </td>
                <td>{key.scopes.join(', ')}</td>
                <td>{when(key.createdAt)}</td>
                <td>{when(key.lastUsedAt)}</td>
                <td>{when(key.expiresAt)}</td>
                <td>
                  {key.revokedAt ? (
                    <span className="badge archived">revoked</span>
                  ) : (
                    <form action={revokeKeyAction}>
                      <input type="hidden" name="keyId" value={key.id} />
                      <button type="submit" className="danger" aria-label={`Revoke ${key.name}`}>
                        Revoke
                      </button>
                    </form>
                  )}
                </td>
              </tr>
            ))}
            {keys.length === 0 && (
              <tr>
                <td colSpan={7} className="muted">
                  No keys yet.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      <CreateKeyForm />
    </>
  );
}
