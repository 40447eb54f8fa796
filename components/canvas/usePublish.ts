'use client';
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useState } from 'react';
import type { Issue, JourneyDraft } from '@/lib/journey';

type PublishResponse = {
  number?: number;
  changeSummary?: string;
  moved?: number;
  errors?: Issue[];
  warnings?: Issue[];
  error?: { code?: string; message?: string };
};

/** Publishes the saved draft; server findings are tied to the graph they were found in. */
export function usePublish(journeyId: number) {
  const queryClient = useQueryClient();
  const [pending, setPending] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [ok, setOk] = useState(false);
  const [serverIssues, setServerIssues] = useState<{
    graph: JourneyDraft;
    errors: Issue[];
    warnings: Issue[];
  } | null>(null);

  const post = useCallback(
    async (revision: number, confirmWarnings: boolean, moveRunning: boolean | undefined) => {
      const response = await fetch(`/api/journeys/${journeyId}/publish`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ revision, confirmWarnings, moveRunning }),
      });
      return { status: response.status, body: (await response.json().catch(() => ({}))) as PublishResponse };
    },
    [journeyId],
  );

  const run = useCallback(
    /** moveRunning: undefined when nobody is running (the server's default applies). */
    async (revision: number, graph: JourneyDraft, moveRunning?: boolean) => {
      setPending(true);
      setMessage(null);
      try {
        let result = await post(revision, false, moveRunning);
        if (result.status === 409 && result.body.error?.code === 'confirm_warnings') {
          const warnings = result.body.warnings ?? [];
          const confirmed = window.confirm(
            `Publish despite ${warnings.length} ${warnings.length === 1 ? 'warning' : 'warnings'}?\n\n${warnings.map((w) => `• ${w.message}`).join('\n')}`,
          );
          if (!confirmed) {
            setOk(false);
            setMessage('Not published: the warnings were not confirmed.');
            setServerIssues({ graph, errors: [], warnings });
            return;
          }
          result = await post(revision, true, moveRunning);
        }
        if (result.status === 201) {
          setOk(true);
          setServerIssues(null);
          const running =
            moveRunning === undefined
              ? ''
              : moveRunning
                ? ` Moved ${result.body.moved ?? 0} running ${result.body.moved === 1 ? 'customer' : 'customers'} to it.`
                : ' Running customers stay on the version they entered.';
          setMessage(`Published version ${result.body.number}: ${result.body.changeSummary}.${running}`);
          await queryClient.invalidateQueries({ queryKey: ['journey-versions', journeyId] });
          return;
        }
        setOk(false);
        if (result.status === 422) {
          setServerIssues({ graph, errors: result.body.errors ?? [], warnings: result.body.warnings ?? [] });
          setMessage(
            `Not published: ${result.body.errors?.length ?? 0} errors must be fixed first (see the list).`,
          );
        } else {
          setMessage(result.body.error?.message ?? `Publishing failed (${result.status}).`);
        }
      } catch {
        setOk(false);
        setMessage('Publishing failed: the server could not be reached.');
      } finally {
        setPending(false);
      }
    },
    [journeyId, post, queryClient],
  );

  return { run, pending, message, ok, serverIssues };
}
