'use client';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import type { FeedEvent } from '@/lib/mission-control/feed';
import type { ConsentSummary } from '@/lib/mission-control/summary';

export type StreamStatus = 'connecting' | 'live' | 'polling';

const RECONNECT_MS = 5_000;
const RECENT_LIMIT = 25;

/**
 * Subscribes to /api/v1/consent/stream and writes each `summary` straight into the react-query
 * cache under `summaryKey`; keeps the newest ledger events for the live feed. When the stream
 * drops, status becomes 'polling' (the caller then turns on refetchInterval) and we retry.
 */
export function useConsentStream(query: string, summaryKey: readonly unknown[], onLedgerEvents: () => void) {
  const client = useQueryClient();
  const [status, setStatus] = useState<StreamStatus>('connecting');
  const [recent, setRecent] = useState<FeedEvent[]>([]);
  const onEventsRef = useRef(onLedgerEvents);
  useEffect(() => {
    onEventsRef.current = onLedgerEvents;
  }, [onLedgerEvents]);
  const keyJson = JSON.stringify(summaryKey);

  useEffect(() => {
    let source: EventSource | undefined;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const key = JSON.parse(keyJson) as unknown[];
    const connect = () => {
      source = new EventSource(`/api/v1/consent/stream${query}`);
      source.onopen = () => setStatus('live');
      source.addEventListener('summary', (message) => {
        client.setQueryData(key, JSON.parse((message as MessageEvent<string>).data) as ConsentSummary);
        setStatus('live');
      });
      source.addEventListener('consent', (message) => {
        const { events } = JSON.parse((message as MessageEvent<string>).data) as { events: FeedEvent[] };
        setRecent((previous) => {
          const seen = new Set(previous.map((e) => e.id));
          return [...events.filter((e) => !seen.has(e.id)).reverse(), ...previous].slice(0, RECENT_LIMIT);
        });
        onEventsRef.current();
      });
      source.onerror = () => {
        setStatus('polling');
        // EventSource retries by itself unless the server refused (e.g. 403) — then we do, slowly.
        if (source?.readyState === EventSource.CLOSED && !stopped) {
          source.close();
          retry = setTimeout(connect, RECONNECT_MS);
        }
      };
    };
    connect();
    return () => {
      stopped = true;
      if (retry) clearTimeout(retry);
      source?.close();
    };
  }, [client, query, keyJson]);

  return { status, recent };
}
