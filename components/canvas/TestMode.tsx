'use client';
import { useMutation } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import type { JourneyDraft } from '@/lib/journey';
import { AnnotationStore, type NodeAnnotation } from './annotations';
import { CustomerPicker, type PickedCustomer } from './CustomerPicker';
import { LocalTime } from '@/components/LocalTime';
import { outcomeLabel, stepTitle } from './step-names';
import type { PurposeOption } from './inspector/schema-form';
import { ReadOnlyCanvas } from './ReadOnlyCanvas';
import styles from './canvas.module.css';

type Step = { nodeId: string; stepType: string; outcome: string; reason: string; at: string };

/** Runs a test customer through the draft on simulated time and shows every decision with its reason. */
export function TestMode({
  journeyId,
  graph,
  purposes,
  customers,
  canRun,
}: {
  journeyId: number;
  graph: JourneyDraft;
  purposes: PurposeOption[];
  customers: { id: number; name: string; email: string | null }[];
  canRun: boolean;
}) {
  const [annotations] = useState(() => new AnnotationStore());
  const [customer, setCustomer] = useState<PickedCustomer | null>(customers[0] ?? null);
  const customerId = customer?.id ?? 0;
  const [startAt, setStartAt] = useState('');
  const [assumeConsent, setAssumeConsent] = useState(false);
  const summary = useMemo(() => {
    const names = new Map(purposes.map((p) => [p.key, p.name]));
    return { purposeName: (key: string) => names.get(key) };
  }, [purposes]);

  const run = useMutation({
    mutationFn: async () => {
      const response = await fetch(`/api/journeys/${journeyId}/test-run`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          customerId,
          assumeConsent,
          ...(startAt ? { startAt: new Date(startAt).toISOString() } : {}),
        }),
      });
      const body = (await response.json().catch(() => ({}))) as {
        steps?: Step[];
        error?: { message?: string };
      };
      if (!response.ok) throw new Error(body.error?.message ?? `Test run failed (${response.status})`);
      return body.steps ?? [];
    },
  });

  useEffect(() => {
    const next = new Map<string, NodeAnnotation>();
    for (const step of run.data ?? []) {
      next.set(step.nodeId, {
        errors: [],
        warnings: [],
        path: { outcome: step.outcome, reason: step.reason, current: false },
      });
    }
    annotations.replaceAll(next);
  }, [annotations, run.data]);

  const pathEdges = useMemo(() => {
    const ids = new Set<string>();
    for (const step of run.data ?? []) {
      const edge = graph.edges.find((e) => e.source === step.nodeId && e.sourceHandle === step.outcome);
      if (edge) ids.add(edge.id);
    }
    return ids;
  }, [run.data, graph.edges]);

  return (
    <div className={styles.pageGrid}>
      <ReadOnlyCanvas graph={graph} annotations={annotations} summary={summary} highlightEdges={pathEdges} />
      <div className={styles.side}>
        <section className="card">
          <h2 style={{ marginTop: 0 }}>Test run</h2>
          <p className="muted">
            Runs the draft with simulated time. No mail is sent and no consent, block or data changes.
          </p>
          <form
            onSubmit={(event) => {
              event.preventDefault();
              run.mutate();
            }}
          >
            <CustomerPicker label="Test customer" value={customer} onChange={setCustomer} />
            <label htmlFor="test-start">Simulated start (optional)</label>
            <input
              id="test-start"
              type="datetime-local"
              value={startAt}
              onChange={(e) => setStartAt(e.target.value)}
            />
            <label style={{ fontWeight: 400 }}>
              <input
                type="checkbox"
                checked={assumeConsent}
                onChange={(e) => setAssumeConsent(e.target.checked)}
              />{' '}
              Assume consent is given (blocks and erasure still count)
            </label>
            <button
              type="submit"
              className="primary"
              disabled={!canRun || run.isPending || !customerId}
              style={{ marginTop: '0.5rem' }}
            >
              {run.isPending ? 'Running…' : 'Run test'}
            </button>
          </form>
          {run.isError && (
            <p className="error" role="alert">
              {(run.error as Error).message}
            </p>
          )}
        </section>
        {run.data && (
          <section className="card" data-testid="test-trace" aria-live="polite">
            <h2 style={{ marginTop: 0 }}>Decisions</h2>
            {run.data.length === 0 && <p className="muted">The customer did not enter.</p>}
            <ol>
              {run.data.map((step, i) => (
                <li key={i}>
                  <strong>{stepTitle(graph, step.nodeId)}</strong> →{' '}
                  {outcomeLabel(graph, step.nodeId, step.outcome)}
                  <div className="muted">{step.reason}</div>
                  <div className="muted">
                    <LocalTime iso={step.at} />
                  </div>
                </li>
              ))}
            </ol>
          </section>
        )}
      </div>
    </div>
  );
}
