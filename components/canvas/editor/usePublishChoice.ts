'use client';
import { useCallback, useState } from 'react';
import type { JourneyDraft } from '@/lib/journey';
import type { LiveStats } from './useEditorIssues';

/**
 * Publishing from the editor: the draft is saved first (the revision published is the one the
 * marketer sees), and when customers are on their way through the live version the marketer
 * first chooses whether they move to the new version (PublishChoiceDialog).
 */
export function usePublishChoice({
  run,
  flushSave,
  committedGraph,
  hasLiveVersion,
  runningCustomers,
  liveStats,
}: {
  run: (revision: number, graph: JourneyDraft, moveRunning?: boolean) => Promise<void>;
  flushSave: () => Promise<number | null>;
  committedGraph: JourneyDraft;
  hasLiveVersion: boolean;
  /** Customers in the live version when the page loaded. */
  runningCustomers: number;
  liveStats: LiveStats | undefined;
}) {
  const publishNow = useCallback(
    async (moveRunning?: boolean) => {
      const revision = await flushSave();
      if (revision === null) return;
      await run(revision, committedGraph, moveRunning);
    },
    [flushSave, committedGraph, run],
  );
  // Customers in the live version: the page's count, kept current by the live counts while open.
  const liveRunning = liveStats ? Object.values(liveStats.atNode).reduce((sum, n) => sum + n, 0) : 0;
  const running = hasLiveVersion ? Math.max(runningCustomers, liveRunning) : 0;
  const [choosing, setChoosing] = useState(false);
  const onPublish = useCallback(() => {
    if (running > 0) setChoosing(true);
    else void publishNow();
  }, [running, publishNow]);
  const cancelChoice = useCallback(() => setChoosing(false), []);
  const confirmChoice = useCallback(
    (moveRunning: boolean) => {
      setChoosing(false);
      void publishNow(moveRunning);
    },
    [publishNow],
  );
  return { running, choosing, onPublish, cancelChoice, confirmChoice };
}
