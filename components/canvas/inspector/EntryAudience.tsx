'use client';
import { memo, useEffect, useMemo, useState } from 'react';
import type { JourneyDraft } from '@/lib/journey';
import type { EntryAudience as Audience } from '@/lib/journeys/audience';
import { journeyRequest } from '@/components/journeys/api';
import type { PurposeOption } from './schema-form';
import styles from '../canvas.module.css';

const number = new Intl.NumberFormat();

/**
 * Under the entry step's settings: how many customers the target group matches now and how many
 * of them may be contacted for the journey's purposes (POST /api/journeys/:id/audience, counted
 * on the server with the send step's own consent check). Recounted a moment after each edit.
 */
/** Memoised: it sits beside the canvas, which re-renders the editor on every drag frame. */
export const EntryAudience = memo(function EntryAudience({
  journeyId,
  graph,
  purposes,
}: {
  journeyId: number;
  graph: JourneyDraft;
  purposes: PurposeOption[];
}) {
  const [audience, setAudience] = useState<Audience | null>(null);
  const [failed, setFailed] = useState(false);
  // Only what decides the count: the entry's settings and the steps that write to customers.
  const key = useMemo(
    () =>
      JSON.stringify(
        graph.nodes
          .filter((node) => node.type === 'entry' || node.type === 'send-message')
          .map((node) => [node.type, node.config]),
      ),
    [graph],
  );
  useEffect(() => {
    let cancelled = false;
    const timer = setTimeout(() => {
      journeyRequest<{ audience: Audience }>(`/api/journeys/${journeyId}/audience`, 'POST', { graph })
        .then((result) => {
          if (cancelled) return;
          setAudience(result.audience);
          setFailed(false);
        })
        .catch(() => !cancelled && setFailed(true));
    }, 400);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
    // The graph is read when the key changes; other edits (positions, titles) do not recount.
  }, [journeyId, key]); // eslint-disable-line react-hooks/exhaustive-deps

  const nameOf = (key: string) => purposes.find((purpose) => purpose.key === key)?.name ?? key;
  return (
    <section
      className={`card ${styles.audience}`}
      aria-labelledby="entry-audience-h"
      data-testid="entry-audience"
    >
      <h3 id="entry-audience-h">Who enters now</h3>
      <p role="status" aria-live="polite">
        {failed
          ? 'Could not count the customers just now.'
          : !audience
            ? 'Counting customers…'
            : audience.mode === 'invalid'
              ? 'Finish the entry settings to see who enters.'
              : audience.mode === 'event'
                ? `Customers enter one by one when ${audience.eventName ? `“${audience.eventName}”` : 'the event'} is recorded for them, from publishing on.`
                : describe(audience, nameOf)}
      </p>
    </section>
  );
});

function describe(audience: Extract<Audience, { mode: 'segment' }>, nameOf: (key: string) => string) {
  const matching = `${number.format(audience.matching)}${audience.capped ? '+' : ''} ${audience.matching === 1 ? 'customer matches' : 'customers match'} now`;
  if (audience.contactable === null) return `${matching}. This journey writes to no one.`;
  const purposes = audience.purposes.map(nameOf).join(' and ');
  return `${matching}; ${number.format(audience.contactable)} of them may be contacted for ${purposes}.`;
}
