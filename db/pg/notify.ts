import { Client } from 'pg';

/**
 * Live updates across processes on PostgreSQL: the consent ledger append NOTIFYs inside its
 * transaction (PostgreSQL delivers it only on COMMIT, so listeners never see a rolled-back
 * event), and every web process keeps one LISTEN connection that feeds its dashboard stream.
 * The payload is only the event id: listeners read what they may show through the store. A batch
 * of appends (a CSV import's new customers' grants) NOTIFYs once, with its newest id, so a
 * listener takes an id as a wake-up and reads every event after the newest one it has seen.
 */
export const CONSENT_EVENTS_CHANNEL = 'tarmo_consent_events';

export interface ChannelListener {
  /** Resolves once LISTEN is active on the current connection. */
  ready: Promise<void>;
  close(): Promise<void>;
}
export type ConsentEventListener = ChannelListener;

/**
 * Calls onEvent(id) for every committed append by any process (for a batch, once with its newest id). Reconnects after a lost
 * connection (server restart, failover) and then calls onReconnect, since notifications sent
 * while disconnected are gone: the caller catches up from the newest id it has seen.
 */
export function listenConsentEvents(
  url: string,
  onEvent: (eventId: number) => void,
  options: { onReconnect?: () => void; retryMs?: number } = {},
): ConsentEventListener {
  const onPayload = (payload: string) => {
    const id = Number(payload);
    if (Number.isSafeInteger(id)) onEvent(id);
  };
  return listenChannel(url, CONSENT_EVENTS_CHANNEL, onPayload, options);
}

/**
 * Calls onPayload for every NOTIFY on `channel` (a constant identifier of this code base) on one
 * dedicated connection; reconnects like listenConsentEvents.
 */
export function listenChannel(
  url: string,
  channel: string,
  onPayload: (payload: string) => void,
  options: { onReconnect?: () => void; retryMs?: number } = {},
): ChannelListener {
  let client: Client | undefined;
  let closed = false;
  let connectedOnce = false;
  let retry: NodeJS.Timeout | undefined;

  const connect = async (): Promise<void> => {
    const next = new Client({ connectionString: url, application_name: 'tarmo-listen' });
    next.on('notification', (message) => {
      if (message.channel === channel) onPayload(message.payload ?? '');
    });
    const lost = () => {
      if (closed || client !== next) return;
      client = undefined;
      next.end().catch(() => undefined);
      retry = setTimeout(() => void connect().catch(() => lost()), options.retryMs ?? 1_000);
    };
    next.on('error', lost);
    next.on('end', lost);
    client = next;
    await next.connect();
    await next.query(`LISTEN ${channel}`);
    if (connectedOnce) options.onReconnect?.();
    connectedOnce = true;
  };

  const ready = connect();
  return {
    ready,
    async close() {
      closed = true;
      if (retry) clearTimeout(retry);
      await client?.end().catch(() => undefined);
      client = undefined;
    },
  };
}
