// The container's health check (Dockerfile HEALTHCHECK, compose.yaml; README, Container).
//   node scripts/container-health.mjs          web app: GET /api/health/ready answers 200 (database,
//                                              migrations, a worker's heartbeat, outbox lag)
//   node scripts/container-health.mjs worker   worker: its metrics port (TARMO_WORKER_METRICS_PORT)
//                                              answers 200, which also reads the database
// Exit 0 when healthy, 1 with the reason on stderr otherwise.
const role = process.argv[2] ?? 'web';

function workerUrl() {
  const port = process.env.TARMO_WORKER_METRICS_PORT;
  if (!port) throw new Error('the worker check needs TARMO_WORKER_METRICS_PORT');
  const bound = process.env.TARMO_METRICS_HOST || '127.0.0.1';
  // Bound to every address: ask the loopback one.
  const host = bound === '0.0.0.0' || bound === '::' ? '127.0.0.1' : bound;
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}/metrics`;
}

let url = '';
try {
  if (role !== 'web' && role !== 'worker') throw new Error(`unknown role ${role} (web or worker)`);
  url = role === 'worker' ? workerUrl() : `http://127.0.0.1:${process.env.PORT || '3000'}/api/health/ready`;
  const token = process.env.TARMO_METRICS_TOKEN;
  const response = await fetch(url, {
    headers: role === 'worker' && token ? { authorization: `Bearer ${token}` } : {},
    signal: AbortSignal.timeout(4_000),
  });
  const body = await response.text();
  if (response.status !== 200) throw new Error(`answered ${response.status}: ${body.slice(0, 500)}`);
  // The readiness report (no personal data) shows in `docker inspect`'s health log.
  if (role === 'web') console.log(body.slice(0, 500));
  process.exit(0);
} catch (error) {
  const cause = error instanceof Error && error.cause instanceof Error ? ` (${error.cause.message})` : '';
  console.error(`${url ? `${url}: ` : ''}${error instanceof Error ? error.message : String(error)}${cause}`);
  process.exit(1);
}
