import { dialectOf, getDb, handleOf } from '@/db/client';
import { listenConsentEvents, type ConsentEventListener } from '@/db/pg/notify';
import {
  consentEventsAfter,
  dashboardFingerprint,
  latestConsentEventId,
  type LedgerFeedEvent,
} from '@/db/store/dashboard';
import { log } from '@/lib/config/log';

/**
 * The web processes and the executor workers are separate processes on one database, so there
 * is no in-memory signal when another process writes the ledger. One poller per process watches
 * the newest ledger id (one b-tree descent per tick) and fans new events out to every open stream;
 * it runs only while at least one stream is open. On PostgreSQL the process also LISTENs on
 * `tarmo_consent_events` (one connection, opened with the first stream and kept) and polls at once
 * when an append commits anywhere; the timer stays as the fallback (lost connection, missed
 * notification).
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
  /** A notification arrived while a poll ran: poll again right after it. */
  private again = false;
  private notifications: ConsentEventListener | undefined;

  async subscribe(listener: Listener): Promise<() => void> {
    if (this.listeners.size === 0) {
      this.lastId = await latestConsentEventId();
      this.fingerprint = await dashboardFingerprint();
      this.timer = setInterval(() => void this.tick(), POLL_MS);
      this.listen();
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

  /** PostgreSQL: one LISTEN connection per process, for the lifetime of the process. */
  private listen(): void {
    if (this.notifications) return;
    const db = getDb();
    if (dialectOf(db) !== 'postgres') return;
    const wake = () => {
      if (this.listeners.size === 0) return;
      if (this.running) this.again = true;
      else void this.tick();
    };
    this.notifications = listenConsentEvents(handleOf(db).url, wake, { onReconnect: wake });
    this.notifications.ready.catch((error: unknown) => {
      // The poll keeps the dashboards live; the listener retries on its own.
      log().error({ err: error }, 'consent feed LISTEN failed');
    });
  }

  private async tick(): Promise<void> {
    if (this.running) {
      return;
    }
    this.running = true;
    this.again = false;
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
      log().error({ err: error }, 'consent feed poll failed');
    } finally {
      this.running = false;
    }
    if (this.again && this.listeners.size > 0) void this.tick();
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
