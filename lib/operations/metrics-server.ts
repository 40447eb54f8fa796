import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { log } from '@/lib/config/log';
import { isInternalHost, metricsAccess, metricsToken } from './metrics-access';
import { metricsText } from './metrics';

/**
 * A small HTTP server answering `GET /metrics` with this process's metrics: the worker's
 * (TARMO_WORKER_METRICS_PORT) and, if wanted, the web app's on an internal port
 * (TARMO_METRICS_PORT). Binds TARMO_METRICS_HOST (default 127.0.0.1). Bound to a public address it
 * refuses to start without TARMO_METRICS_TOKEN.
 */
export async function startMetricsServer(
  port: number,
  host = process.env.TARMO_METRICS_HOST || '127.0.0.1',
): Promise<http.Server> {
  const internal = isInternalHost(host);
  if (!internal && !metricsToken())
    throw new Error(`metrics on ${host}:${port} need TARMO_METRICS_TOKEN (the address is not internal)`);
  const server = http.createServer((request, response) => {
    void answer(request, response, internal);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  log().info({ host, port: address.port }, 'metrics listening');
  return server;
}

async function answer(request: http.IncomingMessage, response: http.ServerResponse, internal: boolean) {
  const path = (request.url ?? '/').split('?')[0];
  if (request.method !== 'GET' || path !== '/metrics') {
    response.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
    return;
  }
  const access = metricsAccess(request.headers.authorization, internal);
  if (!access.allowed) {
    response
      .writeHead(access.status, {
        'content-type': 'text/plain',
        ...(access.status === 401 ? { 'www-authenticate': 'Bearer realm="metrics"' } : {}),
      })
      .end(`${access.message}\n`);
    return;
  }
  try {
    const { body, contentType } = await metricsText();
    response.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' }).end(body);
  } catch (error) {
    log().error({ err: error }, 'metrics scrape failed');
    response.writeHead(500, { 'content-type': 'text/plain' }).end('metrics failed\n');
  }
}

/** Starts the metrics port named by an env var (e.g. TARMO_WORKER_METRICS_PORT) when it is set. */
export async function startMetricsServerFromEnv(variable: string): Promise<http.Server | undefined> {
  const raw = process.env[variable]?.trim();
  if (!raw) return undefined;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`${variable} must be a port number`);
  return await startMetricsServer(port);
}
