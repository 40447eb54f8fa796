import crypto from 'node:crypto';
import http from 'node:http';
import ipaddr from 'ipaddr.js';
import { log, runWithRequestContext, type RequestContext } from '@/lib/config/log';
import { recordAudit } from '@/db/store/audit';
import { clientAddress, PEER_ADDRESS_HEADER } from '@/lib/net/client-address';
import { observeHttpRequest } from './metrics';

/** The header a request's id travels in, both ways. */
export const REQUEST_ID_HEADER = 'x-request-id';

const GOOD_REQUEST_ID = /^[A-Za-z0-9._:@/+=-]{1,128}$/;

/** A caller's (or proxy's) X-Request-Id when it is a plain token, else a fresh one. */
export function requestIdOf(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value && GOOD_REQUEST_ID.test(value) ? value : crypto.randomUUID();
}

/** Path segments that follow these hold a customer token (never logged, never a label). */
const TOKEN_PARENTS = new Set([
  'optin',
  'unsubscribe',
  'preferences',
  'export',
  'verify-request',
  'receipts',
]);
/** Path segments that follow these are free-form ids. */
const ID_PARENTS = new Set(['nodes', 'purposes', 'versions', 'failed']);
const MAX_ROUTE_LABELS = 300;
const seenRoutes = new Set<string>();

/**
 * The route of a path with its ids and tokens replaced (`/api/journeys/[id]/publish`), so a log line
 * or a metric label never holds a token and the number of labels stays bounded.
 */
export function routeOf(pathname: string, status?: number): string {
  if (status === 404) return '[not found]';
  if (pathname.startsWith('/_next/static/')) return '/_next/static';
  if (pathname.startsWith('/_next/image')) return '/_next/image';
  const segments = pathname.split('/').filter(Boolean);
  const out: string[] = [];
  for (const [index, segment] of segments.entries()) {
    const parent = index > 0 ? segments[index - 1] : '';
    if (TOKEN_PARENTS.has(parent)) out.push('[token]');
    else if (/^\d+$/.test(segment)) out.push('[id]');
    else if (ID_PARENTS.has(parent) && segment !== 'restore') out.push('[key]');
    else if (segment.length > 40) out.push('[token]');
    else out.push(segment);
  }
  const route = `/${out.join('/')}`;
  if (seenRoutes.has(route)) return route;
  if (seenRoutes.size >= MAX_ROUTE_LABELS) return '[other]';
  seenRoutes.add(route);
  return route;
}

const QUIET_ROUTES = new Set([
  '/_next/static',
  '/_next/image',
  '/api/health',
  '/api/health/ready',
  '/metrics',
]);

let installed = false;

/**
 * Wraps every request the process serves: takes its X-Request-Id (or makes one), returns it in the
 * response, runs the request in a logging context (so its log lines carry the id, the route, and
 * once known the staff user or API key), and when the response is done writes one access line and
 * counts it in the HTTP metrics. Installed once by instrumentation.ts.
 */
export function observeHttpRequests(): void {
  if (installed) return;
  installed = true;
  const emit = http.Server.prototype.emit;
  http.Server.prototype.emit = function (this: http.Server, event: string | symbol, ...args: unknown[]) {
    const forward = () => emit.apply(this, [event, ...args] as unknown as Parameters<typeof emit>);
    if (event !== 'request') return forward();
    const request = args[0] as http.IncomingMessage;
    const response = args[1] as http.ServerResponse;
    const requestId = requestIdOf(request.headers[REQUEST_ID_HEADER]);
    request.headers[REQUEST_ID_HEADER] = requestId;
    response.setHeader('X-Request-Id', requestId);
    const started = process.hrtime.bigint();
    const pathname = (request.url ?? '/').split('?')[0];
    const context: RequestContext = {
      requestId,
      route: routeOf(pathname),
      network: networkOf(
        clientAddress({ ...request.headers, [PEER_ADDRESS_HEADER]: request.socket?.remoteAddress ?? '' }),
      ),
    };
    response.once('finish', () => finished(request, response, context, started));
    return runWithRequestContext(context, forward);
  } as typeof emit;
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The client's network, not its address: IPv4 /24, IPv6 /48 (the audit log's "from where"). */
export function networkOf(address: string): string | undefined {
  if (!ipaddr.isValid(address)) return undefined;
  const parsed = ipaddr.process(address);
  if (parsed.kind() === 'ipv4') return `${parsed.toByteArray().slice(0, 3).join('.')}.0/24`;
  const parts = (parsed as ipaddr.IPv6).parts.slice(0, 3);
  return `${parts.map((part) => part.toString(16)).join(':')}::/48`;
}

/**
 * A write by staff (a route or a server action) or an API key that wrote no audit entry of its own
 * gets a generic one: method, route, the record the path names, the status. Domain code records
 * the named entries (journey.published, user.created …); this makes sure nothing is missed.
 */
function auditWrite(
  request: http.IncomingMessage,
  context: RequestContext,
  method: string,
  pathname: string,
  status: number,
): void {
  if (context.userId === undefined && context.apiKeyId === undefined) return;
  if (pathname.startsWith('/api/auth/') || status === 401) return;
  const segments = pathname.split('/').filter(Boolean);
  const at = segments.findLastIndex((segment) => /^\d+$/.test(segment));
  const serverAction = typeof request.headers['next-action'] === 'string';
  runWithRequestContext(context, () => {
    recordAudit({
      actorType: context.apiKeyId !== undefined ? 'api_key' : 'user',
      actorId: context.apiKeyId ?? context.userId,
      action: `${serverAction ? 'form' : method} ${context.route ?? pathname}`,
      targetType: at > 0 ? segments[at - 1] : undefined,
      targetId: at > 0 ? segments[at] : undefined,
      details: { status },
    }).catch((error: unknown) => log().error({ err: error }, 'audit entry for a write failed'));
  });
}

function finished(
  request: http.IncomingMessage,
  response: http.ServerResponse,
  context: RequestContext,
  started: bigint,
): void {
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const status = response.statusCode;
  if (status === 404) context.route = routeOf('', 404);
  const route = context.route ?? '[other]';
  const method = request.method ?? 'GET';
  observeHttpRequest(method, route, status, seconds);
  if (WRITE_METHODS.has(method) && !context.audited)
    auditWrite(request, context, method, (request.url ?? '/').split('?')[0], status);
  if (QUIET_ROUTES.has(route) && status < 400) return;
  runWithRequestContext(context, () => {
    const line = { method, status, ms: Math.round(seconds * 1000) };
    if (status >= 500) log().error(line, 'request');
    else log().info(line, 'request');
  });
}
