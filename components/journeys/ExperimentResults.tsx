'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import type { ArmResult, ExperimentResult } from '@/lib/journeys/experiments';
import { journeyRequest } from './api';

async function fetchExperiments(journeyId: number): Promise<ExperimentResult[]> {
  const response = await fetch(`/api/journeys/${journeyId}/experiments`, { cache: 'no-store' });
  const body = (await response.json().catch(() => ({}))) as {
    experiments?: ExperimentResult[];
    error?: { message?: string };
  };
  if (!response.ok || !body.experiments)
    throw new Error(body.error?.message ?? `Request failed (${response.status})`);
  return body.experiments;
}

function percent(rate: number | null): string {
  return rate === null ? '–' : `${(rate * 100).toFixed(1)} %`;
}

/** A difference of rates in percentage points, signed: "+4.5". */
function points(value: number): string {
  const rounded = (value * 100).toFixed(1);
  return value > 0 ? `+${rounded}` : rounded.replace('-', '−');
}

function difference(arm: ArmResult): string {
  if (arm.baseline) return 'baseline';
  if (!arm.comparison) return '–';
  const { difference: d, interval } = arm.comparison;
  return `${points(d)} pp (${points(interval.lower)} to ${points(interval.upper)})`;
}

/**
 * The split tests of the live version: per branch the customers, mails sent and goal conversions
 * with their rate, the difference to the holdout (or branch A) with its 95 % interval, a plain
 * sentence, and "Declare winner" for marketers. Refreshed every 5 s like the other live panels.
 */
export function ExperimentResults({ journeyId, canDeclare }: { journeyId: number; canDeclare: boolean }) {
  const experiments = useQuery({
    queryKey: ['journey-experiments', journeyId],
    queryFn: () => fetchExperiments(journeyId),
    refetchInterval: 5_000,
  });
  if (experiments.isError)
    return (
      <section className="card" aria-labelledby="experiments-heading" style={{ marginBottom: '0.75rem' }}>
        <h2 id="experiments-heading" style={{ marginTop: 0 }}>
          Experiments
        </h2>
        <p className="error">{(experiments.error as Error).message}</p>
      </section>
    );
  if (!experiments.data || experiments.data.length === 0) return null;
  return (
    <section
      className="card"
      data-testid="experiment-results"
      aria-labelledby="experiments-heading"
      style={{ marginBottom: '0.75rem' }}
    >
      <h2 id="experiments-heading" style={{ marginTop: 0 }}>
        Experiments
      </h2>
      {experiments.data.map((experiment) => (
        <Experiment
          key={experiment.nodeId}
          journeyId={journeyId}
          experiment={experiment}
          canDeclare={canDeclare}
        />
      ))}
    </section>
  );
}

function Experiment({
  journeyId,
  experiment,
  canDeclare,
}: {
  journeyId: number;
  experiment: ExperimentResult;
  canDeclare: boolean;
}) {
  const router = useRouter();
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState<string | null>(null);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const declare = useMutation({
    mutationFn: (branch: string) =>
      journeyRequest<{ kind: string; number: number }>(
        `/api/journeys/${journeyId}/experiments/winner`,
        'POST',
        {
          nodeId: experiment.nodeId,
          branch,
        },
      ),
    onSuccess: (result, branch) => {
      setConfirming(null);
      setMessage({
        ok: true,
        text:
          result.kind === 'published'
            ? `Published version ${result.number}: everyone now takes branch ${branch.toUpperCase()}.`
            : `Branch ${branch.toUpperCase()} already is the winner.`,
      });
      void queryClient.invalidateQueries({ queryKey: ['journey-experiments', journeyId] });
      // The canvas shows the live version: reload it.
      router.refresh();
    },
    onError: (error) =>
      setMessage({
        ok: false,
        text: error instanceof Error ? error.message : 'Could not declare the winner',
      }),
  });
  const headingId = `experiment-${experiment.nodeId}`;
  const branches = experiment.arms.filter((arm) => arm.arm !== 'holdout');
  const sentences = experiment.arms.flatMap((arm) => (arm.comparison ? [arm.comparison.sentence] : []));
  return (
    <div data-testid={`experiment-${experiment.nodeId}`}>
      <h3 id={headingId}>{experiment.title}</h3>
      {experiment.winner && (
        <p data-testid="experiment-winner">
          Branch {experiment.winner.toUpperCase()} was declared the winner: everyone takes it now. The numbers
          below include the customers assigned before.
        </p>
      )}
      {experiment.goalNames.length === 0 ? (
        <p className="muted">
          This journey has no goal, so there are no conversions to compare. Add a goal event on its entry
          step.
        </p>
      ) : (
        <p className="muted">
          A conversion is a customer who reached the goal ({experiment.goalNames.join(', ')}) after entering
          the branch. Differences are in percentage points against{' '}
          {experiment.baselineLabel.toLowerCase() === 'holdout'
            ? 'the holdout'
            : `branch ${experiment.baselineLabel}`}
          , with a 95 % confidence interval.
        </p>
      )}
      <div className="table-wrap">
        <table aria-labelledby={headingId}>
          <thead>
            <tr>
              <th scope="col">Branch</th>
              <th scope="col">Share</th>
              <th scope="col">Customers</th>
              <th scope="col">Messages sent</th>
              <th scope="col">Conversions</th>
              <th scope="col">Rate</th>
              <th scope="col">Difference</th>
            </tr>
          </thead>
          <tbody>
            {experiment.arms.map((arm) => (
              <tr key={arm.arm} data-testid={`arm-${experiment.nodeId}-${arm.arm}`}>
                <th scope="row">{arm.label}</th>
                <td>{arm.share}</td>
                <td data-testid="arm-customers">{arm.customers}</td>
                <td data-testid="arm-messages">{arm.messagesSent}</td>
                <td data-testid="arm-conversions">{arm.conversions}</td>
                <td>{percent(arm.rate)}</td>
                <td>{difference(arm)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {sentences.length > 0 && (
        <ul data-testid="experiment-sentences">
          {sentences.map((sentence) => (
            <li key={sentence}>{sentence}</li>
          ))}
        </ul>
      )}
      {message && (
        <p className={message.ok ? 'muted' : 'error'} role="status">
          {message.text}
        </p>
      )}
      {canDeclare && (
        <div style={{ display: 'flex', flexWrap: 'wrap', gap: '0.4rem', alignItems: 'center' }}>
          {confirming ? (
            <>
              <span>Publish a new version that sends everyone to branch {confirming.toUpperCase()}?</span>
              <button type="button" disabled={declare.isPending} onClick={() => declare.mutate(confirming)}>
                Publish
              </button>
              <button type="button" disabled={declare.isPending} onClick={() => setConfirming(null)}>
                Cancel
              </button>
            </>
          ) : (
            branches
              .filter((arm) => arm.arm !== experiment.winner)
              .map((arm) => (
                <button key={arm.arm} type="button" onClick={() => setConfirming(arm.arm)}>
                  Declare {arm.label} the winner
                </button>
              ))
          )}
        </div>
      )}
    </div>
  );
}
