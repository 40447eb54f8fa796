'use client';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import type { JourneyDraft } from '@/lib/journey';
import { AnnotationStore, type NodeAnnotation } from './annotations';
import type { PurposeOption } from './inspector/schema-form';
import { ReadOnlyCanvas } from './ReadOnlyCanvas';
import { CustomerPicker, type PickedCustomer } from './CustomerPicker';
import { formatTime } from '@/lib/dates/format';
import { LocalTime } from '@/components/LocalTime';
import { outcomeLabel, stepTitle } from './step-names';
import styles from './canvas.module.css';

type LiveStats = { atNode: Record<string, number>; leftBy: Record<string, Record<string, number>> };
type NodeCustomer = {
  customerId: number;
  name: string;
  email: string | null;
  state: string;
  enteredAt: string;
};
type PathStep = { nodeId: string; stepType: string; outcome: string; reason: string; at: string };
type CustomerPath = {
  customerId: number;
  name: string;
  email: string | null;
  state: string | null;
  currentNodeId: string | null;
  steps: PathStep[];
};

async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url, { cache: 'no-store' });
  const body = (await response.json().catch(() => ({}))) as T & { error?: { message?: string } };
  if (!response.ok) throw new Error(body.error?.message ?? `Request failed (${response.status})`);
  return body;
}

/** Counts per step, refreshed every 2 s; a step's customers on click; a customer's path with reasons. */
export function LiveView({
  journeyId,
  graph,
  purposes,
}: {
  journeyId: number;
  graph: JourneyDraft;
  purposes: PurposeOption[];
}) {
  const [annotations] = useState(() => new AnnotationStore());
  const [selected, setSelected] = useState<string | null>(null);
  const [picked, setPicked] = useState<PickedCustomer | null>(null);
  const [query, setQuery] = useState<string | null>(null);
  const summary = useMemo(() => {
    const names = new Map(purposes.map((p) => [p.key, p.name]));
    return { purposeName: (key: string) => names.get(key) };
  }, [purposes]);

  const stats = useQuery({
    queryKey: ['journey-live', journeyId],
    queryFn: () => getJson<LiveStats>(`/api/journeys/${journeyId}/live`),
    refetchInterval: 2_000,
    staleTime: 0,
  });
  const customers = useQuery({
    queryKey: ['journey-node-customers', journeyId, selected],
    queryFn: () =>
      getJson<{ customers: NodeCustomer[] }>(`/api/journeys/${journeyId}/nodes/${selected}/customers`),
    enabled: selected !== null,
    refetchInterval: 5_000,
  });
  const path = useQuery({
    queryKey: ['journey-path', journeyId, query],
    queryFn: () =>
      getJson<{ path: CustomerPath }>(
        `/api/journeys/${journeyId}/path?customer=${encodeURIComponent(query ?? '')}`,
      ),
    enabled: query !== null,
    retry: false,
  });

  const pathEdges = useMemo(() => {
    const steps = path.data?.path.steps ?? [];
    const ids = new Set<string>();
    for (const step of steps) {
      const edge = graph.edges.find((e) => e.source === step.nodeId && e.sourceHandle === step.outcome);
      if (edge) ids.add(edge.id);
    }
    return ids;
  }, [path.data, graph.edges]);

  useEffect(() => {
    const next = new Map<string, NodeAnnotation>();
    for (const node of graph.nodes) {
      next.set(node.id, {
        errors: [],
        warnings: [],
        liveCount: stats.data?.atNode[node.id] ?? 0,
        leftBy: stats.data?.leftBy[node.id],
      });
    }
    const found = path.data?.path;
    if (found) {
      for (const step of found.steps) {
        const annotation = next.get(step.nodeId);
        if (annotation) annotation.path = { outcome: step.outcome, reason: step.reason, current: false };
      }
      const current = found.currentNodeId ? next.get(found.currentNodeId) : undefined;
      if (current)
        current.path = {
          outcome: found.state ?? 'here',
          reason: current.path?.reason ?? `waiting (${found.state})`,
          current: true,
        };
    }
    annotations.replaceAll(next);
  }, [annotations, graph.nodes, stats.data, path.data]);

  const selectedNode = graph.nodes.find((node) => node.id === selected);

  return (
    <div className={styles.pageGrid}>
      <ReadOnlyCanvas
        graph={graph}
        annotations={annotations}
        summary={summary}
        onNodeClick={setSelected}
        highlightEdges={pathEdges}
      />
      <div className={styles.side}>
        <section className="card">
          <h2 style={{ marginTop: 0 }}>Find a customer</h2>
          <CustomerPicker
            label="Show a customer's path"
            value={picked}
            onChange={(customer) => {
              setPicked(customer);
              setQuery(String(customer.id));
            }}
          />
          {path.isError && <p className="error">{(path.error as Error).message}</p>}
          {path.data && (
            <div data-testid="customer-path">
              <p>
                <strong>
                  {path.data.path.name || path.data.path.email || `Customer ${path.data.path.customerId}`}
                </strong>{' '}
                <span className="badge">{path.data.path.state ?? 'never entered'}</span>
              </p>
              <ol>
                {path.data.path.steps.map((step, i) => (
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
            </div>
          )}
        </section>
        <section className="card" data-testid="node-customers">
          <h2 style={{ marginTop: 0 }}>
            {selectedNode ? `At “${stepTitle(graph, selectedNode.id)}”` : 'Customers at a step'}
          </h2>
          {!selectedNode && <p className="muted">Click a step to list the customers there now.</p>}
          {customers.data && customers.data.customers.length === 0 && (
            <p className="muted">Nobody is at this step now.</p>
          )}
          {customers.data && customers.data.customers.length > 0 && (
            <ul>
              {customers.data.customers.map((customer) => (
                <li key={customer.customerId}>
                  <button
                    type="button"
                    className={styles.issueButton}
                    onClick={() => {
                      setPicked({ id: customer.customerId, name: customer.name, email: customer.email });
                      setQuery(String(customer.customerId));
                    }}
                  >
                    {customer.name || customer.email || `Customer ${customer.customerId}`}
                  </button>{' '}
                  <span className="muted">({customer.state})</span>
                </li>
              ))}
            </ul>
          )}
          {customers.isError && <p className="error">{(customers.error as Error).message}</p>}
        </section>
        <p className="muted" aria-live="polite">
          {stats.dataUpdatedAt ? `Updated ${formatTime(stats.dataUpdatedAt)}` : 'Loading counts…'}
        </p>
      </div>
    </div>
  );
}
