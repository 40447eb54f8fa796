import {
  consentEventsAfter,
  dashboardFingerprint,
  latestConsentEventId,
  type LedgerFeedEvent,
} from '@/db/store/dashboard';

/**
 * The web process and the executor worker are separate processes on one SQLite file, so there
 * is no in-memory signal when the worker writes the ledger. One poller per process watches the
 * newest ledger id (one b-tree descent per tick) and fans new events out to every open stream;
 * it runs only while at least one stream is open.
 */
export type FeedMessage = { type: 'consent'; events: FeedEvent[]; lastEventId: number } | { type: 'changed' };

/** What a stream may show: ids and states, never who. */
export type FeedEvent = Omit<LedgerFeedEvent, 'occurredAt'> & { occurredAt: string };

type Listener = (message: FeedMessage) => void;

const POLL_MS = Number(process.env.TARMO_STREAM_POLL_MS || 250);
/** Privacy requests, blocks and ledger checks change rarely; compare them every ~2 s. */
const FINGERPRINT_EVERY = Math.max(1, Math.round(2_000 / POLL_MS));
const BATCH = 500;

export function toFeedEvent(event: LedgerFeedEvent): FeedEvent {
  return { ...event, occurredAt: event.occurredAt.toISOString() };
}

class ConsentFeed {
  private listeners = new Set<Listener>();
  private timer: ReturnType<typeof setInterval> | undefined;
  private lastId = 0;
  private fingerprint = '';
  private ticks = 0;
  private running = false;

  async subscribe(listener: Listener): Promise<() => void> {
    if (this.listeners.size === 0) {
      this.lastId = await latestConsentEventId();
      this.fingerprint = await dashboardFingerprint();
      this.timer = setInterval(() => void this.tick(), POLL_MS);
    }
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0 && this.timer) {
        clearInterval(this.timer);
        this.timer = undefined;
      }
    };
  }

  private emit(message: FeedMessage): void {
    for (const listener of this.listeners) {
      try {
        listener(message);
      } catch {
        // One broken stream must not stop the others.
      }
    }
  }

  private async tick(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      const newest = await latestConsentEventId();
      while (newest > this.lastId) {
        const batch = await consentEventsAfter(this.lastId, BATCH);
        if (batch.length === 0) break;
        this.lastId = batch[batch.length - 1]!.id;
        this.emit({ type: 'consent', events: batch.map(toFeedEvent), lastEventId: this.lastId });
      }
      this.ticks += 1;
      if (this.ticks % FINGERPRINT_EVERY === 0) {
        const fingerprint = await dashboardFingerprint();
        if (fingerprint !== this.fingerprint) {
          this.fingerprint = fingerprint;
          this.emit({ type: 'changed' });
        }
      }
    } catch (error) {
      console.error('consent feed poll failed:', error instanceof Error ? error.message : 'unknown error');
    } finally {
      this.running = false;
    }
  }
}

const globalFeed = globalThis as unknown as { __tarmoConsentFeed?: ConsentFeed };

export function consentFeed(): ConsentFeed {
  globalFeed.__tarmoConsentFeed ??= new ConsentFeed();
  return globalFeed.__tarmoConsentFeed;
}

/** Events a reconnecting client missed (EventSource sends Last-Event-ID), bounded. */
export async function missedEvents(afterId: number, limit = BATCH): Promise<FeedEvent[]> {
  return (await consentEventsAfter(afterId, limit)).map(toFeedEvent);
}
