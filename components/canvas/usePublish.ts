'use client';
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useState } from 'react';
import type { Issue, JourneyDraft } from '@/lib/journey';
import type { Notice } from './editor/useNotices';

type PublishResponse = {
  kind?: string;
  number?: number;
  status?: string;
  changeSummary?: string;
  moved?: number;
  errors?: Issue[];
  warnings?: Issue[];
  error?: { code?: string; message?: string };
};

/**
 * Publishes the saved draft; server findings are tied to the graph they were found in. The outcome
 * is a notice (topic "publish"); `onPublished` hears the journey's new status.
 */
export function usePublish(
  journeyId: number,
  notify: (notice: Omit<Notice, 'serial'>) => void,
  onPublished: (status: string) => void,
) {
  const queryClient = useQueryClient();
  const [pending, setPending] = useState(false);
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
      const say = (kind: Notice['kind'], message: string, withHistoryLink = false) =>
        notify({
          topic: 'publish',
          kind,
          message,
          testId: 'publish-result',
          link: withHistoryLink
            ? { href: `/journeys/${journeyId}/history`, label: 'See history' }
            : undefined,
        });
      try {
        let result = await post(revision, false, moveRunning);
        if (result.status === 409 && result.body.error?.code === 'confirm_warnings') {
          const warnings = result.body.warnings ?? [];
          const confirmed = window.confirm(
            `Publish despite ${warnings.length} ${warnings.length === 1 ? 'warning' : 'warnings'}?\n\n${warnings.map((w) => `• ${w.message}`).join('\n')}`,
          );
          if (!confirmed) {
            say('error', 'Not published: the warnings were not confirmed.');
            setServerIssues({ graph, errors: [], warnings });
            return;
          }
          result = await post(revision, true, moveRunning);
        }
        if (result.status === 200 && result.body.kind === 'unchanged') {
          setServerIssues(null);
          say('info', `Nothing to publish: the draft is the same as live version ${result.body.number}.`);
          return;
        }
        if (result.status === 201) {
          setServerIssues(null);
          const running =
            moveRunning === undefined
              ? ''
              : moveRunning
                ? ` Moved ${result.body.moved ?? 0} running ${result.body.moved === 1 ? 'customer' : 'customers'} to it.`
                : ' Running customers stay on the version they entered.';
          say(
            'success',
            `Published version ${result.body.number}: ${result.body.changeSummary}.${running}`,
            true,
          );
          onPublished(typeof result.body.status === 'string' ? result.body.status : 'live');
          await queryClient.invalidateQueries({ queryKey: ['journey-versions', journeyId] });
          return;
        }
        if (result.status === 422) {
          setServerIssues({ graph, errors: result.body.errors ?? [], warnings: result.body.warnings ?? [] });
          const count = result.body.errors?.length ?? 0;
          say(
            'error',
            `Not published: ${count} ${count === 1 ? 'error' : 'errors'} must be fixed first (see the list).`,
          );
        } else {
          say('error', result.body.error?.message ?? `Publishing failed (${result.status}).`);
        }
      } catch {
        say('error', 'Publishing failed: the server could not be reached.');
      } finally {
        setPending(false);
      }
    },
    [journeyId, notify, onPublished, post, queryClient],
  );

  return { run, pending, serverIssues };
}
