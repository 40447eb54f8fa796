import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { checkOutgoingUrl, type OutgoingTarget, type Resolver } from './outgoing-target';

/**
 * The one way Tarmo makes an outgoing HTTP request. The URL is checked (lib/net/outgoing-target)
 * right before connecting, and the connection goes to exactly the address that was checked: the
 * socket's DNS lookup is replaced by the checked answer, so a rebinding DNS server cannot answer
 * "public" to the check and "127.0.0.1" to the connect. TLS still verifies the certificate
 * against the host name (SNI and the Host header are the URL's). Redirects are never followed: a
 * 3xx is handed back as it is, so a public host cannot bounce the request inside.
 */

export type SafeResponse = { status: number; headers: http.IncomingHttpHeaders; body: Buffer };

export type SafeFetchResult =
  | { ok: true; response: SafeResponse }
  | { ok: false; refused: true; reason: string }
  | { ok: false; refused: false; reason: string };

export type SafeFetchInit = {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  timeoutMs?: number;
  /** Answers beyond this many bytes are cut off (their content is rarely needed). */
  maxResponseBytes?: number;
  allowHosts?: readonly string[];
  resolve?: Resolver;
};

function pinnedLookup(target: OutgoingTarget): LookupFunction {
  return (_hostname, options, callback) => {
    if (options && typeof options === 'object' && options.all)
      (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [
        { address: target.address, family: target.family },
      ]);
    else callback(null, target.address, target.family);
  };
}

export async function safeFetch(rawUrl: string, init: SafeFetchInit = {}): Promise<SafeFetchResult> {
  const check = await checkOutgoingUrl(rawUrl, { allowHosts: init.allowHosts, resolve: init.resolve });
  if (!check.ok) return { ok: false, refused: true, reason: check.reason };
  const { target } = check;
  const transport = target.url.protocol === 'https:' ? https : http;
  const maxBytes = init.maxResponseBytes ?? 64 * 1024;
  return await new Promise<SafeFetchResult>((resolve) => {
    const request = transport.request(
      target.url,
      {
        method: init.method ?? 'GET',
        headers: init.headers,
        lookup: pinnedLookup(target),
        timeout: init.timeoutMs ?? 10_000,
        // No keep-alive pool: a pooled socket could outlive the check it was made for.
        agent: false,
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size <= maxBytes) chunks.push(chunk);
        });
        response.on('end', () =>
          resolve({
            ok: true,
            response: {
              status: response.statusCode ?? 0,
              headers: response.headers,
              body: Buffer.concat(chunks),
            },
          }),
        );
        response.on('error', (error) => resolve({ ok: false, refused: false, reason: error.message }));
      },
    );
    request.on('timeout', () => request.destroy(new Error('timed out')));
    request.on('error', (error) => resolve({ ok: false, refused: false, reason: error.message }));
    request.end(init.body);
  });
}
