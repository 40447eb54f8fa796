'use client';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { JourneyDraft } from '@/lib/journey';

const DEBOUNCE_MS = 700;

type SaveOutcome =
  { kind: 'saved'; revision: number } | { kind: 'conflict' } | { kind: 'failed'; message: string };

async function putDraft(journeyId: number, revision: number, graph: JourneyDraft): Promise<SaveOutcome> {
  const response = await fetch(`/api/journeys/${journeyId}/draft`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ revision, graph }),
  });
  if (response.status === 409) return { kind: 'conflict' };
  const body = (await response.json().catch(() => ({}))) as {
    revision?: number;
    error?: { message?: string };
  };
  if (!response.ok || typeof body.revision !== 'number') {
    return { kind: 'failed', message: body.error?.message ?? `Saving failed (${response.status})` };
  }
  return { kind: 'saved', revision: body.revision };
}

/**
 * Debounced, serialised autosave of the draft. The canvas already shows the edit (optimistic);
 * the cached draft is updated at once and rolled back if the save fails. A 409 stops autosave:
 * the server kept the other tab's version and this one must reload.
 */
export function useAutosave({
  journeyId,
  initialRevision,
  enabled,
}: {
  journeyId: number;
  initialRevision: number;
  enabled: boolean;
}) {
  const queryClient = useQueryClient();
  const revision = useRef(initialRevision);
  const pending = useRef<JourneyDraft | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const running = useRef<Promise<void> | null>(null);
  const stopped = useRef(false);
  const [label, setLabel] = useState('All changes saved');
  const [conflict, setConflict] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const draftKey = ['journey-draft', journeyId];

  const mutation = useMutation({
    mutationFn: (input: { revision: number; graph: JourneyDraft }) =>
      putDraft(journeyId, input.revision, input.graph),
    onMutate: async (input) => {
      const previous = queryClient.getQueryData(draftKey);
      queryClient.setQueryData(draftKey, { revision: input.revision, graph: input.graph });
      return { previous };
    },
    onSuccess: (outcome, _input, context) => {
      if (outcome.kind !== 'saved') queryClient.setQueryData(draftKey, context?.previous);
      else
        queryClient.setQueryData(draftKey, (old: { graph: JourneyDraft } | undefined) => ({
          ...old,
          revision: outcome.revision,
        }));
    },
    onError: (_error, _input, context) => queryClient.setQueryData(draftKey, context?.previous),
  });
  const mutateAsync = mutation.mutateAsync;

  const drain = useCallback(async () => {
    while (pending.current && !stopped.current) {
      const graph = pending.current;
      pending.current = null;
      setLabel('Saving…');
      let outcome: SaveOutcome;
      try {
        outcome = await mutateAsync({ revision: revision.current, graph });
      } catch {
        outcome = {
          kind: 'failed',
          message:
            'Saving failed: the server could not be reached. Your change is kept here; it will be retried.',
        };
      }
      if (outcome.kind === 'saved') {
        revision.current = outcome.revision;
        setError(null);
      } else if (outcome.kind === 'conflict') {
        stopped.current = true;
        setConflict(true);
        setLabel('Not saved: conflict');
        return;
      } else {
        pending.current ??= graph;
        setError(outcome.message);
        setLabel('Not saved');
        return;
      }
    }
    if (!stopped.current) setLabel('All changes saved');
  }, [mutateAsync]);

  const run = useCallback(async () => {
    timer.current = null;
    while (running.current) await running.current;
    if (!pending.current) return;
    const current = drain();
    running.current = current;
    try {
      await current;
    } finally {
      running.current = null;
    }
  }, [drain]);

  const schedule = useCallback(
    (graph: JourneyDraft) => {
      if (!enabled || stopped.current) return;
      pending.current = graph;
      setLabel('Unsaved changes');
      if (timer.current) clearTimeout(timer.current);
      timer.current = setTimeout(() => void run(), DEBOUNCE_MS);
    },
    [enabled, run],
  );

  /** Saves anything pending now; resolves to the saved revision, or null when it could not be saved. */
  const flush = useCallback(async (): Promise<number | null> => {
    if (timer.current) clearTimeout(timer.current);
    await run();
    return stopped.current || pending.current ? null : revision.current;
  }, [run]);

  useEffect(() => {
    const warn = (event: BeforeUnloadEvent) => {
      if (pending.current || running.current) event.preventDefault();
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, []);

  return { schedule, flush, label, conflict, error };
}
