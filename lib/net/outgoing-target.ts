import dns from 'node:dns/promises';
import ipaddr from 'ipaddr.js';

/**
 * Where an outgoing request (a webhook today) may go. Tarmo runs inside someone's network, so a
 * URL typed by staff must not become a way to reach that network (SSRF): loopback, private,
 * link-local (cloud metadata at 169.254.169.254), unspecified, CGNAT, unique-local and every other
 * special range are refused, in IPv4 and IPv6. ipaddr.js classifies (IPv4-mapped IPv6 included);
 * only its 'unicast' range is public. WHATWG URL parsing first turns every IPv4 spelling
 * (2130706433, 0x7f.1, 127.1, 0177.0.0.1) into dotted decimal, so one check covers them all.
 */

export type OutgoingTarget = {
  url: URL;
  /** The address to connect to: checked once here, then pinned (no second DNS lookup). */
  address: string;
  family: 4 | 6;
};

export type TargetRefusal = { reason: string };

export type TargetCheck = { ok: true; target: OutgoingTarget } | ({ ok: false } & TargetRefusal);

export type Resolver = (hostname: string) => Promise<{ address: string; family: number }[]>;

const systemResolver: Resolver = (hostname) => dns.lookup(hostname, { all: true, verbatim: true });

/**
 * `TARMO_WEBHOOK_ALLOW_HOSTS`: comma-separated hosts (optionally `host:port`) that an operator
 * allows although they are internal, e.g. `crm.internal,10.0.0.7:8443`. Read on every call, so a
 * test or an operator's restart picks up a change.
 */
export function allowedInternalHosts(value = process.env.TARMO_WEBHOOK_ALLOW_HOSTS ?? ''): string[] {
  return value
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      try {
        const url = new URL(`http://${entry}`);
        return url.port ? `${url.hostname}:${url.port}` : url.hostname;
      } catch {
        return '';
      }
    })
    .filter(Boolean);
}

function isAllowedInternally(url: URL, allowHosts: readonly string[]): boolean {
  const hostname = url.hostname.replace(/\.$/, '');
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  return allowHosts.some((entry) => entry === hostname || entry === `${hostname}:${port}`);
}

/** The ipaddr.js range of an address, or null when it is not an IP address at all. */
export function addressRange(address: string): string | null {
  const bare = address.replace(/^\[|\]$/g, '');
  if (!ipaddr.isValid(bare)) return null;
  return ipaddr.process(bare).range();
}

export function isPublicAddress(address: string): boolean {
  return addressRange(address) === 'unicast';
}

/**
 * Checks an http(s) URL and resolves its host once. Refused: other schemes, credentials in the
 * URL, a host that is or resolves to any non-public address (every answer must be public, so a
 * DNS name with one internal record is refused too), unless the host is on the allow-list.
 */
export async function checkOutgoingUrl(
  raw: string,
  options: { allowHosts?: readonly string[]; resolve?: Resolver } = {},
): Promise<TargetCheck> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: 'not a valid URL' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return { ok: false, reason: 'only http and https URLs are allowed' };
  if (url.username || url.password) return { ok: false, reason: 'credentials in the URL are not allowed' };
  const allowHosts = options.allowHosts ?? allowedInternalHosts();
  const allowed = isAllowedInternally(url, allowHosts);
  const host = url.hostname.replace(/^\[|\]$/g, '');

  let answers: { address: string; family: number }[];
  if (ipaddr.isValid(host)) {
    answers = [{ address: host, family: host.includes(':') ? 6 : 4 }];
  } else {
    try {
      answers = await (options.resolve ?? systemResolver)(host);
    } catch {
      return { ok: false, reason: `the host ${url.hostname} does not resolve` };
    }
    if (answers.length === 0) return { ok: false, reason: `the host ${url.hostname} does not resolve` };
  }
  if (!allowed) {
    const internal = answers.find((answer) => !isPublicAddress(answer.address));
    if (internal)
      return {
        ok: false,
        reason: `${url.hostname} is an internal address (${addressRange(internal.address) ?? 'invalid'}); only public hosts may be called`,
      };
  }
  const first = answers[0]!;
  return { ok: true, target: { url, address: first.address, family: first.family === 6 ? 6 : 4 } };
}
