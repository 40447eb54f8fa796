import ipaddr from 'ipaddr.js';

/**
 * Which address a request came from, for rate limits and consent evidence. The socket's peer is
 * the only thing nobody can forge; `X-Forwarded-For` is believed only for as many hops as the
 * operator says proxies stand in front of Tarmo (`TARMO_TRUSTED_PROXIES`, default 0: the socket
 * address, and X-Forwarded-For is ignored). Each trusted proxy appends the address it saw, so
 * with N proxies the client is the N-th address from the right of [X-Forwarded-For…, peer];
 * anything further left was written by the client and proves nothing.
 */

/** Set by instrumentation.ts from the socket on every request (a client-sent one is overwritten). */
export const PEER_ADDRESS_HEADER = 'x-tarmo-peer-address';

export function trustedProxyCount(value = process.env.TARMO_TRUSTED_PROXIES): number {
  const count = Number(value ?? 0);
  return Number.isInteger(count) && count >= 0 && count <= 10 ? count : 0;
}

function normalized(address: string | undefined): string | null {
  const bare = address?.trim().replace(/^\[|\]$/g, '');
  if (!bare || !ipaddr.isValid(bare)) return null;
  // ::ffff:1.2.3.4 (an IPv4 client on a dual-stack socket) is 1.2.3.4.
  return ipaddr.process(bare).toString();
}

type HeaderSource = Headers | Record<string, unknown> | undefined;

function headerValue(headers: HeaderSource, name: string): string | undefined {
  if (!headers) return undefined;
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const value = headers[name];
  return typeof value === 'string' ? value : Array.isArray(value) ? value.join(',') : undefined;
}

/** The client's address, or 'unknown' when the request did not come through a socket we saw. */
export function clientAddress(headers: HeaderSource, trustedProxies = trustedProxyCount()): string {
  const peer = normalized(headerValue(headers, PEER_ADDRESS_HEADER));
  if (!peer) return 'unknown';
  if (trustedProxies === 0) return peer;
  const forwarded = (headerValue(headers, 'x-forwarded-for') ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  const chain = [...forwarded, peer];
  const index = Math.max(0, chain.length - 1 - trustedProxies);
  // The hop a trusted proxy wrote is an address; if not, the proxies are not what was configured.
  return normalized(chain[index]) ?? peer;
}
