import type { FeedEvent } from '@/lib/mission-control/feed';
import type { StreamStatus } from './useConsentStream';
import { LocalTime } from '@/components/LocalTime';

const STATUS_TEXT: Record<StreamStatus, string> = {
  connecting: 'connecting…',
  live: 'live',
  polling: 'stream interrupted — polling every 5 s',
};

export function LiveFeed({ status, events }: { status: StreamStatus; events: FeedEvent[] }) {
  return (
    <section className="card" aria-labelledby="mc-live">
      <h2 id="mc-live">
        Live ledger{' '}
        <span
          className={`badge ${status === 'live' ? 'ok' : 'warning'}`}
          data-testid="stream-status"
          data-status={status}
        >
          {STATUS_TEXT[status]}
        </span>
      </h2>
      {events.length ? (
        <ol className="mc-list" aria-live="polite" aria-relevant="additions">
          {events.map((e) => (
            <li key={e.id}>
              <LocalTime iso={e.occurredAt} style="time" className="muted" /> #{e.id}{' '}
              <code>
                {e.purposeKey}
                {e.themeKey ? `/${e.themeKey}` : ''}
              </code>{' '}
              {e.action} → <span className={`badge ${e.state}`}>{e.state}</span>{' '}
              <span className="muted">via {e.source}</span>
            </li>
          ))}
        </ol>
      ) : (
        <p className="muted">New consent events appear here as they happen.</p>
      )}
    </section>
  );
}
