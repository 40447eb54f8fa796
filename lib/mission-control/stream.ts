import { consentFeed, missedEvents, type FeedMessage } from './feed';
import { loadConsentSummary, type SummaryFilter } from './summary';

export const SSE_HEADERS = {
  'Content-Type': 'text/event-stream; charset=utf-8',
  // no-transform: proxies must not buffer or compress the stream; X-Accel-Buffering for nginx.
  'Cache-Control': 'no-cache, no-transform',
  'X-Accel-Buffering': 'no',
  Connection: 'keep-alive',
} as const;

const HEARTBEAT_MS = 15_000;
/** At most one summary per this interval per stream, however fast the ledger moves. */
const SUMMARY_MIN_INTERVAL_MS = 200;

export function sseMessage(event: string, data: unknown, id?: number): string {
  return `${id !== undefined ? `id: ${id}\n` : ''}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/**
 * Server-sent events for Mission Control: `consent` (new ledger events, no personal data),
 * `summary` (the refreshed counts), a comment heartbeat every 15 s. Ends when the client goes.
 */
export function consentEventStream(options: {
  filter: SummaryFilter;
  signal: AbortSignal;
  lastEventId?: number;
}): ReadableStream<Uint8Array> {
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
          console.error(
            'consent stream summary failed:',
            error instanceof Error ? error.message : 'unknown error',
          );
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
      const unsubscribe = await consentFeed().subscribe(onMessage);
      const heartbeat = setInterval(() => send(`: heartbeat ${new Date().toISOString()}\n\n`), HEARTBEAT_MS);
      cleanup = () => {
        if (closed) return;
        closed = true;
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
