import crypto from 'node:crypto';
import { NextResponse } from 'next/server';
import type { ApiScope } from '@/lib/vocabulary';
import { hitRateLimit } from '@/lib/auth/rate-limits';
import {
  completeIdempotentAnswer,
  releaseIdempotencyKey,
  reserveIdempotencyKey,
} from '@/lib/api/idempotency';
import { verifyApiKey, type ApiKeyRow } from '@/lib/auth/api-keys';
import { BodyTooLarge, failureResponse, jsonError, readLimited, withNoStore } from './http';
import { log } from '@/lib/config/log';

export type ApiCaller = { key: ApiKeyRow };
type Handler<C> = (request: Request, context: C, caller: ApiCaller) => Promise<Response>;

const RATE_WINDOW_MS = 60_000;
/** Requests per key per minute; a batch of 1,000 events counts as one request. */
function rateLimitPerMinute(): number {
  return Number(process.env.TARMO_API_RATE_LIMIT || 600);
}
const IDEMPOTENCY_BODY_LIMIT = 8 * 1024 * 1024;

export function bearerKey(request: Request): string | null {
  const header = request.headers.get('authorization');
  const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return match?.[1] ?? null;
}

export type ApiAuthResult = { ok: true; caller: ApiCaller } | { ok: false; response: NextResponse };

/**
 * Checks the Bearer key, its scope and its rate limit. Exported on its own for routes that
 * cannot use apiRoute's JSON handling (the consent stream).
 */
export async function authenticateApiKey(request: Request, scope: ApiScope): Promise<ApiAuthResult> {
  const auth = await verifyApiKey(bearerKey(request), scope);
  if (!auth.ok) {
    const headers: HeadersInit =
      auth.error.code === 'insufficient_scope' ? {} : { 'WWW-Authenticate': 'Bearer realm="tarmo"' };
    return { ok: false, response: failureResponse(auth.error, headers) };
  }
  const limit = await hitRateLimit(`api-key:${auth.value.id}`, rateLimitPerMinute(), RATE_WINDOW_MS);
  if (!limit.allowed) {
    return {
      ok: false,
      response: jsonError(
        'rate_limited',
        `Too many requests; retry in ${limit.retryAfterSeconds} s`,
        undefined,
        {
          'Retry-After': String(limit.retryAfterSeconds),
        },
      ),
    };
  }
  return { ok: true, caller: { key: auth.value } };
}

/**
 * Wraps an API route: Bearer key → 401/403, rate limit → 429, `Idempotency-Key` on POST
 * replays the stored response of the first request with that key (same key + different body
 * → 422), unexpected errors → 500 in the API error shape (README, API).
 */
export function apiRoute<C = unknown>(scope: ApiScope, handler: Handler<C>) {
  const run = async (request: Request, context: C): Promise<Response> => {
    const auth = await authenticateApiKey(request, scope);
    if (!auth.ok) return auth.response;
    const idempotencyKey = request.method === 'POST' ? request.headers.get('idempotency-key') : null;
    if (!idempotencyKey) return runSafely(() => handler(request, context, auth.caller));
    if (idempotencyKey.length > 200)
      return jsonError('invalid_field', 'Idempotency-Key: at most 200 characters', 'Idempotency-Key');

    let bodyText: string;
    try {
      bodyText = await readLimited(request.clone(), IDEMPOTENCY_BODY_LIMIT);
    } catch (error) {
      if (!(error instanceof BodyTooLarge)) return jsonError('malformed_json', 'The body is not valid UTF-8');
      return jsonError('payload_too_large', `Body exceeds ${IDEMPOTENCY_BODY_LIMIT} bytes`);
    }
    const requestHash = crypto
      .createHash('sha256')
      .update(`${new URL(request.url).pathname}\n${bodyText}`)
      .digest('hex');
    const keyId = auth.caller.key.id;
    const reservation = await reserveIdempotencyKey(keyId, idempotencyKey, requestHash);
    if (!reservation.reserved) {
      const { existing } = reservation;
      if (existing.requestHash !== requestHash) {
        return jsonError(
          'idempotency_key_reused',
          'This Idempotency-Key was used with a different request',
          'Idempotency-Key',
        );
      }
      if (existing.status === 0)
        return jsonError('request_in_progress', 'A request with this Idempotency-Key is still running');
      return new NextResponse(existing.body, {
        status: existing.status,
        headers: { 'content-type': 'application/json', 'Idempotent-Replayed': 'true' },
      });
    }
    const response = await runSafely(() => handler(request, context, auth.caller));
    if (response.status >= 500) {
      await releaseIdempotencyKey(keyId, idempotencyKey);
      return response;
    }
    const body = await response.clone().text();
    await completeIdempotentAnswer(
      keyId,
      idempotencyKey,
      new URL(request.url).pathname,
      response.status,
      body,
    );
    return response;
  };
  return async (request: Request, context: C): Promise<Response> => withNoStore(await run(request, context));
}

async function runSafely(fn: () => Promise<Response>): Promise<Response> {
  try {
    return await fn();
  } catch (error) {
    // No request data in the log: it may hold personal data.
    log().error({ err: error }, 'api route failed');
    return jsonError('internal', 'Something went wrong on our side; it is safe to retry');
  }
}

/** Next's dynamic segment `{ params: Promise<{ id: string }> }` → a positive integer id, or null. */
export async function idParam(
  context: { params: Promise<Record<string, string>> },
  name = 'id',
): Promise<number | null> {
  const raw = (await context.params)[name];
  return raw && /^\d{1,15}$/.test(raw) && Number(raw) > 0 ? Number(raw) : null;
}
