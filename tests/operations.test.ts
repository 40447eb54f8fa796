import net from 'node:net';
import { beforeAll, describe, expect, it } from 'vitest';
import { GET as readyRoute } from '@/app/api/health/ready/route';
import { readiness } from '@/lib/operations/readiness';
import { crashChecks, groupGone, signal, sleep, startWorker } from './helpers/executor-crash';
import { useTempDatabase } from './helpers/db';

/**
 * Operations, end to end on a real worker process: its metrics port shows the transitions and
 * sends of the journey it just ran, and /api/health/ready turns 503 once the worker stopped and its
 * heartbeat expired.
 */

const database = useTempDatabase();
const CUSTOMERS = 4;
const checks = crashChecks(() => database.handle().db, CUSTOMERS);

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The value of one sample line, e.g. `tarmo_outbox_sends_total{result="sent"}`. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((entry) => entry.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : undefined;
}

async function waitFor<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs: number,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await sleep(100);
  }
}

beforeAll(async () => {
  await checks.seedCustomers();
});

describe('operations', () => {
  it("a worker's metrics show the journey it ran; ready turns 503 once its heartbeat expired", async () => {
    process.env.TARMO_WORKER_HEARTBEAT_EXPIRY_MS = '1500';
    const port = await freePort();
    const worker = startWorker('metrics-worker', {
      TARMO_WORKER_METRICS_PORT: String(port),
      TARMO_WORKER_HEARTBEAT_MS: '200',
      TARMO_METRICS_TOKEN: '',
    });
    try {
      // Ready once the worker has reported.
      const ready = await waitFor(readiness, (report) => report.ready, 20_000);
      expect(ready.checks).toMatchObject({
        database: { ok: true },
        migrations: { ok: true },
        workers: { ok: true, seen: [{ workerId: 'metrics-worker', fresh: true }] },
        outbox: { ok: true },
      });

      const journeyId = await checks.publish();
      await checks.waitUntilDone(journeyId, 30_000);
      const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      // Per customer: entry, gate, two sends, the wait (twice: it waits, then goes on), condition, exit.
      expect(sample(text, 'tarmo_executor_transitions_total{step="send-message"}')).toBe(2 * CUSTOMERS);
      expect(sample(text, 'tarmo_executor_transitions_total{step="consent-gate"}')).toBe(CUSTOMERS);
      expect(sample(text, 'tarmo_executor_transitions_total{step="exit"}')).toBe(CUSTOMERS);
      expect(sample(text, 'tarmo_outbox_sends_total{result="sent"}')).toBe(2 * CUSTOMERS);
      expect(sample(text, 'tarmo_executor_failures_total')).toBe(0);
      expect(sample(text, 'tarmo_executor_dead_letters_total')).toBe(0);
      expect(sample(text, 'tarmo_executor_batch_duration_seconds_count')).toBeGreaterThan(0);
      expect(sample(text, 'tarmo_outbox_depth{kind="email"}')).toBe(0);
      expect(sample(text, 'tarmo_executor_lag_seconds')).toBeDefined();
      expect(text).not.toContain('example.test');

      // SIGKILL leaves the heartbeat row behind: ready fails once it is older than the expiry.
      signal(worker, 'SIGKILL');
      await groupGone(worker);
      const stale = await waitFor(readiness, (report) => !report.ready, 10_000);
      expect(stale.ready).toBe(false);
      expect(stale.checks.workers).toMatchObject({
        ok: false,
        seen: [{ workerId: 'metrics-worker', fresh: false }],
      });
      const response = await readyRoute();
      expect(response.status).toBe(503);
      expect(await response.json()).toMatchObject({ ready: false, checks: { database: { ok: true } } });
    } finally {
      if (worker.exitCode === null && worker.signalCode === null) signal(worker, 'SIGKILL');
      delete process.env.TARMO_WORKER_HEARTBEAT_EXPIRY_MS;
    }
  }, 90_000);

  it('a metrics port on a public address refuses to start without a token', async () => {
    const { startMetricsServer } = await import('@/lib/operations/metrics-server');
    delete process.env.TARMO_METRICS_TOKEN;
    await expect(startMetricsServer(0, '0.0.0.0')).rejects.toThrow(/TARMO_METRICS_TOKEN/);
    process.env.TARMO_METRICS_TOKEN = 'scrape-secret';
    const server = await startMetricsServer(0, '127.0.0.1');
    try {
      const { port } = server.address() as net.AddressInfo;
      expect((await fetch(`http://127.0.0.1:${port}/metrics`)).status).toBe(401);
      const scraped = await fetch(`http://127.0.0.1:${port}/metrics`, {
        headers: { authorization: 'Bearer scrape-secret' },
      });
      expect(scraped.status).toBe(200);
      expect(await scraped.text()).toContain('tarmo_http_requests_total');
    } finally {
      server.close();
      delete process.env.TARMO_METRICS_TOKEN;
    }
  });
});
