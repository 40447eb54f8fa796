import { Client } from 'pg';

/**
 * Live updates across processes on PostgreSQL: the consent ledger append NOTIFYs inside its
 * transaction (PostgreSQL delivers it only on COMMIT, so listeners never see a rolled-back
 * event), and every web process keeps one LISTEN connection that feeds its dashboard stream.
 * The payload is only the event id: listeners read what they may show through the store.
 */
export const CONSENT_EVENTS_CHANNEL = 'tarmo_consent_events';

export interface ConsentEventListener {
  /** Resolves once LISTEN is active on the current connection. */
  ready: Promise<void>;
  close(): Promise<void>;
}

/**
 * Calls onEvent(id) for every consent event committed by any process. Reconnects after a lost
 * connection (server restart, failover) and then calls onReconnect, since notifications sent
 * while disconnected are gone: the caller catches up from the newest id it has seen.
 */
export function listenConsentEvents(
  url: string,
  onEvent: (eventId: number) => void,
  options: { onReconnect?: () => void; retryMs?: number } = {},
): ConsentEventListener {
  let client: Client | undefined;
  let closed = false;
  let connectedOnce = false;
  let retry: NodeJS.Timeout | undefined;

  const connect = async (): Promise<void> => {
    const next = new Client({ connectionString: url, application_name: 'tarmo-listen' });
    next.on('notification', (message) => {
      if (message.channel !== CONSENT_EVENTS_CHANNEL) return;
      const id = Number(message.payload);
      if (Number.isSafeInteger(id)) onEvent(id);
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
    await next.query(`LISTEN ${CONSENT_EVENTS_CHANNEL}`);
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
