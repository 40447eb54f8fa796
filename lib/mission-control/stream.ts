import { consentFeed, missedEvents, type FeedMessage } from './feed';
import { loadConsentSummary, type SummaryFilter } from './summary';
import { log } from '@/lib/config/log';
import { observeSseConnection } from '@/lib/operations/metrics';

export const SSE_HEADERS = {
  'Content-Type': 'text/event-stream; charset=utf-8',
  // no-transform: proxies must not buffer or compress the stream; X-Accel-Buffering for nginx.
  'Cache-Control': 'no-cache, no-transform',
  'X-Accel-Buffering': 'no',
  Connection: 'keep-alive',
} as const;

/** Tests and proxies with short idle timeouts may shorten these (TARMO_SSE_HEARTBEAT_MS, TARMO_SSE_MAX_LIFETIME_MS). */
function streamTimings(): { heartbeatMs: number; maxLifetimeMs: number } {
  const number = (value: string | undefined, fallback: number, min: number) => {
    const parsed = Number(value);
    return Number.isFinite(parsed) && parsed >= min ? parsed : fallback;
  };
  return {
    heartbeatMs: number(process.env.TARMO_SSE_HEARTBEAT_MS, 15_000, 100),
    maxLifetimeMs: number(process.env.TARMO_SSE_MAX_LIFETIME_MS, 60 * 60_000, 1000),
  };
}
/** At most one summary per this interval per stream, however fast the ledger moves. */
const SUMMARY_MIN_INTERVAL_MS = 200;

export function sseMessage(event: string, data: unknown, id?: number): string {
  return `${id !== undefined ? `id: ${id}\n` : ''}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/**
 * Server-sent events for Mission Control: `consent` (new ledger events, no personal data),
 * `summary` (the refreshed counts), a comment heartbeat every 15 s. Ends when the client goes;
 * at every heartbeat the caller's session or key is checked again and the stream ends (`end`
 * event with the reason) once it no longer allows reading, or when it has been open for its
 * maximum lifetime (an hour; EventSource then reconnects and is authorized afresh).
 */
export function consentEventStream(options: {
  filter: SummaryFilter;
  signal: AbortSignal;
  lastEventId?: number;
  stillAuthorized: () => Promise<boolean>;
}): ReadableStream<Uint8Array> {
  const { heartbeatMs, maxLifetimeMs } = streamTimings();
  const openedAt = Date.now();
  const encoder = new TextEncoder();
  let cleanup = () => {};
  return new ReadableStream<Uint8Array>({
    async start(controller) {
      let closed = false;
      let summaryTimer: ReturnType<typeof setTimeout> | undefined;
      let lastSummaryAt = 0;
      const send = (text: string) => {
        if (closed) return;
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          cleanup();
        }
      };
      const sendSummary = async () => {
        summaryTimer = undefined;
        lastSummaryAt = Date.now();
        try {
          const summary = await loadConsentSummary(options.filter);
          send(sseMessage('summary', summary));
        } catch (error) {
          log().error({ err: error }, 'consent stream summary failed');
        }
      };
      const scheduleSummary = () => {
        if (summaryTimer || closed) return;
        const wait = Math.max(0, SUMMARY_MIN_INTERVAL_MS - (Date.now() - lastSummaryAt));
        summaryTimer = setTimeout(() => void sendSummary(), wait);
      };
      const onMessage = (message: FeedMessage) => {
        if (message.type === 'consent') {
          const events = options.filter.purpose
            ? message.events.filter((e) => e.purposeKey === options.filter.purpose)
            : message.events;
          if (events.length) send(sseMessage('consent', { events }, message.lastEventId));
        }
        scheduleSummary();
      };

      send('retry: 3000\n\n');
      observeSseConnection(1);
      const unsubscribe = await consentFeed().subscribe(onMessage);
      const endWith = (reason: 'unauthorized' | 'max-lifetime') => {
        send(sseMessage('end', { reason }));
        cleanup();
      };
      const beat = async () => {
        if (Date.now() - openedAt >= maxLifetimeMs) return endWith('max-lifetime');
        let allowed = false;
        try {
          allowed = await options.stillAuthorized();
        } catch {
          allowed = false; // cannot tell: do not keep streaming
        }
        if (!allowed) return endWith('unauthorized');
        send(`: heartbeat ${new Date().toISOString()}\n\n`);
      };
      const heartbeat = setInterval(() => void beat(), heartbeatMs);
      cleanup = () => {
        if (closed) return;
        closed = true;
        observeSseConnection(-1);
        unsubscribe();
        clearInterval(heartbeat);
        if (summaryTimer) clearTimeout(summaryTimer);
        try {
          controller.close();
        } catch {
          // already closed by the runtime
        }
      };
      if (options.signal.aborted) return cleanup();
      options.signal.addEventListener('abort', cleanup, { once: true });

      if (options.lastEventId !== undefined) {
        const missed = await missedEvents(options.lastEventId);
        if (missed.length) send(sseMessage('consent', { events: missed }, missed[missed.length - 1]!.id));
      }
      await sendSummary();
    },
    cancel() {
      cleanup();
    },
  });
}
