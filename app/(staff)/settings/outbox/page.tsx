import { requirePermission } from '@/app/_lib/session';
import { listOutboxMail } from '@/lib/mail/outbox-view';
import { OutboxStatusBadge } from '@/components/settings/OutboxStatusBadge';
import { LocalTime } from '@/components/LocalTime';

export const metadata = { title: 'Outbox' };
export const dynamic = 'force-dynamic';

export default async function OutboxPage() {
  await requirePermission('outbox:view');
  const mails = await listOutboxMail({ limit: 200 });
  return (
    <>
      <h1>Outbox</h1>
      <p className="muted">
        Without <code>SMTP_URL</code>, mail is delivered here instead of to the recipient. Newest first.
      </p>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Created</th>
              <th scope="col">To</th>
              <th scope="col">Subject</th>
              <th scope="col">Kind</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {mails.map((mail) => (
              <tr key={mail.id}>
                <td>
                  <LocalTime iso={mail.createdAt} />
                </td>
                <td>{mail.toAddress ?? <span className="muted">{notStoredLabel(mail.status)}</span>}</td>
                <td>
                  <details>
                    <summary>
                      {mail.subject ?? <span className="muted">{notStoredLabel(mail.status)}</span>}
                    </summary>
                    <pre style={{ whiteSpace: 'pre-wrap', maxWidth: 640 }}>{mail.bodyText}</pre>
                    {mail.headers?.['List-Unsubscribe'] && (
                      <p className="muted">List-Unsubscribe: {mail.headers['List-Unsubscribe']}</p>
                    )}
                  </details>
                </td>
                <td>{mail.category}</td>
                <td>
                  <OutboxStatusBadge status={mail.status} />
                  {mail.cancelReason && <div className="muted">{mail.cancelReason}</div>}
                  {mail.lastError && <div className="error">{mail.lastError}</div>}
                </td>
              </tr>
            ))}
            {mails.length === 0 && (
              <tr>
                <td colSpan={5} className="muted">
                  No mail yet.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
    </>
  );
}

/**
 * Why a mail shows no address or subject: a journey mail is rendered when it is sent; after an
 * erasure, or a cancellation before rendering, none is kept.
 */
function notStoredLabel(status: string): string {
  return status === 'queued' || status === 'sending' ? '(filled in when sent)' : '(not kept)';
}
