import { requirePermission } from '@/app/_lib/session';
import { listWebhookDeliveries, listWebhooks } from '@/lib/webhooks/subscriptions';
import { replayDeliveryAction, toggleWebhookAction } from './actions';
import { CreateWebhookForm } from './CreateWebhookForm';
import { OutboxStatusBadge } from '@/components/settings/OutboxStatusBadge';
import { LocalTime } from '@/components/LocalTime';

export const metadata = { title: 'Webhooks' };
export const dynamic = 'force-dynamic';

const when = (date: Date | number | null) => <LocalTime iso={date === null ? null : new Date(date)} />;

export default async function WebhooksPage() {
  await requirePermission('settings:manage');
  const [hooks, deliveries] = await Promise.all([listWebhooks(), listWebhookDeliveries({ limit: 100 })]);
  const hookName = new Map(hooks.map((hook) => [hook.id, hook.name]));
  return (
    <>
      <h1>Webhooks</h1>
      <p className="muted">
        Tarmo tells connected systems about consent changes, erasures, blocks and privacy requests. Each
        delivery is signed; see <a href="/settings/api#webhooks">how to verify it</a>. Failed deliveries are
        retried with backoff.
      </p>
      <div className="table-wrap" style={{ marginBottom: '1.5rem' }}>
        <table>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">URL</th>
              <th scope="col">Events</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {hooks.map((hook) => (
              <tr key={hook.id}>
                <td>{hook.name}</td>
                <td style={{ wordBreak: 'break-all' }}>{hook.url}</td>
                <td>{hook.events.join(', ')}</td>
                <td>
                  <span className={`badge ${hook.active ? 'ok' : 'archived'}`}>
                    {hook.active ? 'active' : 'paused'}
                  </span>{' '}
                  <form action={toggleWebhookAction} style={{ display: 'inline' }}>
                    <input type="hidden" name="webhookId" value={hook.id} />
                    <input type="hidden" name="active" value={hook.active ? 'false' : 'true'} />
                    <button type="submit" aria-label={`${hook.active ? 'Pause' : 'Resume'} ${hook.name}`}>
                      {hook.active ? 'Pause' : 'Resume'}
                    </button>
                  </form>
                </td>
              </tr>
            ))}
            {hooks.length === 0 && (
              <tr>
                <td colSpan={4} className="muted">
                  No subscriptions yet.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      <CreateWebhookForm />
      <h2 id="deliveries">Delivery log</h2>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Created</th>
              <th scope="col">Endpoint</th>
              <th scope="col">Event</th>
              <th scope="col">Status</th>
              <th scope="col">Attempts</th>
              <th scope="col">Next attempt / sent</th>
              <th scope="col">Replay</th>
            </tr>
          </thead>
          <tbody>
            {deliveries.map((delivery) => {
              const payload = (delivery.payload ?? {}) as { type?: string; id?: string };
              return (
                <tr key={delivery.id} data-testid={`delivery-${delivery.id}`}>
                  <td>{when(delivery.createdAt)}</td>
                  <td>
                    {delivery.webhookId
                      ? (hookName.get(delivery.webhookId) ?? `#${delivery.webhookId}`)
                      : '—'}
                  </td>
                  <td>
                    {payload.type ?? '—'}
                    <div className="muted" style={{ fontSize: '0.8rem' }}>
                      {payload.id}
                    </div>
                  </td>
                  <td>
                    <OutboxStatusBadge status={delivery.status} />
                    {delivery.lastError && <div className="error">{delivery.lastError}</div>}
                  </td>
                  <td>{delivery.attempts}</td>
                  <td>{delivery.sentAt ? when(delivery.sentAt) : when(delivery.nextAttemptAt)}</td>
                  <td>
                    <form action={replayDeliveryAction}>
                      <input type="hidden" name="deliveryId" value={delivery.id} />
                      <button type="submit" aria-label={`Replay delivery ${delivery.id}`}>
                        Replay
                      </button>
                    </form>
                  </td>
                </tr>
              );
            })}
            {deliveries.length === 0 && (
              <tr>
                <td colSpan={7} className="muted">
                  No deliveries yet.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
    </>
  );
}
