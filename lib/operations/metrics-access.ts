import crypto from 'node:crypto';
import ipaddr from 'ipaddr.js';

/**
 * Who may read /metrics. With TARMO_METRICS_TOKEN set: a request carrying `Authorization: Bearer
 * <token>`, anywhere. Without it: nobody on the web app's public port; a metrics port bound to a
 * loopback or private address (TARMO_METRICS_PORT, TARMO_WORKER_METRICS_PORT) answers anyone who
 * can reach it, which is the operator's network.
 */
export type MetricsAccess = { allowed: true } | { allowed: false; status: 401 | 403; message: string };

export function metricsToken(): string | undefined {
  const token = process.env.TARMO_METRICS_TOKEN?.trim();
  return token ? token : undefined;
}

export function metricsAccess(
  authorization: string | null | undefined,
  internalPort: boolean,
): MetricsAccess {
  const token = metricsToken();
  if (!token) {
    if (internalPort) return { allowed: true };
    return {
      allowed: false,
      status: 403,
      message:
        'Metrics are off on this port: set TARMO_METRICS_TOKEN, or TARMO_METRICS_PORT for an internal port',
    };
  }
  const match = authorization ? /^Bearer\s+(\S+)\s*$/i.exec(authorization) : null;
  const given = crypto
    .createHash('sha256')
    .update(match?.[1] ?? '')
    .digest();
  const wanted = crypto.createHash('sha256').update(token).digest();
  if (match && crypto.timingSafeEqual(given, wanted)) return { allowed: true };
  return { allowed: false, status: 401, message: 'A bearer token is required' };
}

/** An address only the operator's network reaches: loopback, private, link-local or unique-local. */
export function isInternalHost(host: string): boolean {
  if (host === 'localhost') return true;
  if (!ipaddr.isValid(host)) return false;
  const range = ipaddr.process(host).range();
  return ['loopback', 'private', 'linkLocal', 'uniqueLocal'].includes(range);
}
