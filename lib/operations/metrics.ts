import client from 'prom-client';
import { getDb } from '@/db/client';
import { postgresPoolStats } from '@/db/pg/pool';
import { readOperationalFigures } from '@/db/store/operations';

/**
 * The process's Prometheus metrics (`GET /metrics` on the web app, the worker's own port). Hot
 * paths only bump in-memory counters (once per batch, per delivery, per request); figures that
 * need the database (executor lag, outbox depth and age, running imports) are read in three
 * indexed queries when scraped. Names: README, Operations.
 */
function build() {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry });
  const counter = <L extends string>(name: string, help: string, labelNames: readonly L[] = []) =>
    new client.Counter({ name, help, labelNames, registers: [registry] });
  const histogram = <L extends string>(
    name: string,
    help: string,
    labelNames: readonly L[],
    buckets: number[],
  ) => new client.Histogram({ name, help, labelNames, buckets, registers: [registry] });
  const gauge = <L extends string>(name: string, help: string, labelNames: readonly L[] = []) =>
    new client.Gauge({ name, help, labelNames, registers: [registry] });

  const metrics = {
    registry,
    httpRequests: counter('tarmo_http_requests_total', 'HTTP requests served, by route and status', [
      'method',
      'route',
      'status',
    ]),
    httpDuration: histogram(
      'tarmo_http_request_duration_seconds',
      'HTTP request latency, by route',
      ['method', 'route'],
      [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    ),
    transitions: counter('tarmo_executor_transitions_total', 'Steps the executor ran, by step type', [
      'step',
    ]),
    failures: counter('tarmo_executor_failures_total', 'Step runs that failed (retried or dead-lettered)'),
    deadLetters: counter('tarmo_executor_dead_letters_total', 'Enrollments stopped after their last attempt'),
    batchDuration: histogram(
      'tarmo_executor_batch_duration_seconds',
      'Executor batches that claimed work: time from claim to commit',
      [],
      [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    ),
    lag: gauge('tarmo_executor_lag_seconds', 'Age of the oldest due enrollment not yet run'),
    outboxDepth: gauge('tarmo_outbox_depth', 'Outbox rows waiting to be delivered, by kind', ['kind']),
    outboxAge: gauge('tarmo_outbox_oldest_age_seconds', 'Age of the oldest due outbox row, by kind', [
      'kind',
    ]),
    sends: counter('tarmo_outbox_sends_total', 'Outbox deliveries (mail and webhooks), by result', [
      'result',
    ]),
    ledgerEvents: counter('tarmo_ledger_events_total', 'Consent ledger events appended by this process'),
    sseConnections: gauge('tarmo_sse_connections', 'Open server-sent-event streams'),
    importJobs: counter('tarmo_import_jobs_total', 'Import jobs finished, by result', ['result']),
    importJobsRunning: gauge('tarmo_import_jobs_running', 'Import jobs pending or running'),
    importFallbacks: counter(
      'tarmo_import_fallbacks_total',
      'Set-based import writes that failed and were done row by row instead, by write',
      ['write'],
    ),
    poolConnections: gauge('tarmo_db_pool_connections', 'PostgreSQL pool connections, by state', ['state']),
  };
  for (const kind of ['email', 'webhook']) {
    metrics.outboxDepth.set({ kind }, 0);
    metrics.outboxAge.set({ kind }, 0);
  }
  // Read when scraped: one collector fills the database-backed gauges.
  new client.Gauge({
    name: 'tarmo_metrics_scrape_database_ok',
    help: '1 when the last scrape could read the database figures',
    registers: [registry],
    async collect() {
      try {
        const figures = await readOperationalFigures(getDb(), Date.now());
        metrics.lag.set(figures.executorLagMs / 1000);
        metrics.outboxDepth.reset();
        metrics.outboxAge.reset();
        for (const kind of ['email', 'webhook']) {
          const row = figures.outbox.find((entry) => entry.kind === kind);
          metrics.outboxDepth.set({ kind }, row?.depth ?? 0);
          metrics.outboxAge.set({ kind }, (row?.oldestAgeMs ?? 0) / 1000);
        }
        metrics.importJobsRunning.set(figures.importJobsRunning);
        this.set(1);
      } catch {
        this.set(0);
      }
      const pool = postgresPoolStats();
      if (pool) {
        metrics.poolConnections.set({ state: 'total' }, pool.total);
        metrics.poolConnections.set({ state: 'idle' }, pool.idle);
        metrics.poolConnections.set({ state: 'waiting' }, pool.waiting);
      }
    },
  });
  return metrics;
}

type Metrics = ReturnType<typeof build>;
// One registry per process, whichever bundle asks (Next bundles routes and instrumentation apart).
const KEY = Symbol.for('tarmo.metrics');
export function metrics(): Metrics {
  const holder = globalThis as { [KEY]?: Metrics };
  holder[KEY] ??= build();
  return holder[KEY];
}

export function observeHttpRequest(method: string, route: string, status: number, seconds: number): void {
  const m = metrics();
  m.httpRequests.inc({ method, route, status: String(status) });
  m.httpDuration.observe({ method, route }, seconds);
}

/** After an executor batch committed: its steps by type, failures, dead letters, duration. */
export function observeExecutorBatch(
  steps: ReadonlyMap<string, number>,
  failures: number,
  deadLetters: number,
  seconds: number,
): void {
  const m = metrics();
  for (const [step, count] of steps) m.transitions.inc({ step }, count);
  if (failures) m.failures.inc(failures);
  if (deadLetters) m.deadLetters.inc(deadLetters);
  m.batchDuration.observe(seconds);
}

/** After a dispatcher round: its deliveries by result (sent, retried, failed, cancelled, deferred). */
export function observeSends(counts: object): void {
  const m = metrics();
  for (const [result, count] of Object.entries(counts))
    if (typeof count === 'number' && count > 0) m.sends.inc({ result }, count);
}

export function observeLedgerEvents(count = 1): void {
  metrics().ledgerEvents.inc(count);
}

export function observeSseConnection(delta: 1 | -1): void {
  metrics().sseConnections.inc(delta);
}

export function observeImportJob(result: 'done' | 'failed'): void {
  metrics().importJobs.inc({ result });
}

/** An import's set-based write (customers, consent) failed and its rows went one by one. */
export function observeImportFallback(write: string): void {
  metrics().importFallbacks.inc({ write });
}

export async function metricsText(): Promise<{ body: string; contentType: string }> {
  const registry = metrics().registry;
  return { body: await registry.metrics(), contentType: registry.contentType };
}
