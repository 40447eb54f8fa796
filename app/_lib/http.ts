import { NextResponse } from 'next/server';
import type { z } from 'zod';
import { findJsonProblem } from '@/lib/api/json-guard';
import { fieldFailure, httpError, type ErrorCode, type Failure } from '@/lib/result';

/** A domain failure as the API error response (README, API) `{"error":{"code","message","field?"}}`. */
export function failureResponse(failure: Failure, headers?: HeadersInit): NextResponse {
  const { status, body } = httpError(failure);
  return NextResponse.json(body, { status, headers });
}

/** The same for a failure the route itself finds (the status follows from the code). */
export function jsonError(
  code: ErrorCode,
  message: string,
  field?: string,
  headers?: HeadersInit,
): NextResponse {
  return failureResponse({ code, message, field }, headers);
}

export function zodFieldError(error: z.ZodError): NextResponse {
  return failureResponse(fieldFailure(error.issues));
}

const DEFAULT_MAX_BODY = 1024 * 1024;

export type ParsedBody<T> = { ok: true; data: T } | { ok: false; response: NextResponse };

/**
 * Reads and parses a JSON body with a size limit: 413 when too large, 400 when malformed,
 * 400 naming the first wrong field when it does not match the schema.
 */
export async function parseJsonBody<T>(
  request: Request,
  schema: z.ZodType<T>,
  maxBytes = DEFAULT_MAX_BODY,
): Promise<ParsedBody<T>> {
  const read = await readJson(request, maxBytes);
  if (!read.ok) return read;
  const parsed = schema.safeParse(read.json);
  if (!parsed.success) return { ok: false, response: zodFieldError(parsed.error) };
  return { ok: true, data: parsed.data };
}

/** Reads a JSON body once (413 above maxBytes, 400 malformed) for routes that inspect it before validating. */
export async function readJson(
  request: Request,
  maxBytes: number,
): Promise<{ ok: true; json: unknown } | { ok: false; response: NextResponse }> {
  const tooLarge = () => ({
    ok: false as const,
    response: jsonError('payload_too_large', `Body exceeds ${maxBytes} bytes`),
  });
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > maxBytes) return tooLarge();
  let text: string;
  try {
    text = await readLimited(request, maxBytes);
  } catch (error) {
    if (error instanceof BodyTooLarge) return tooLarge();
    return { ok: false, response: jsonError('malformed_json', 'The body is not valid UTF-8') };
  }
  let json: unknown;
  try {
    json = JSON.parse(text) as unknown;
  } catch {
    return { ok: false, response: jsonError('malformed_json', 'The body is not valid JSON') };
  }
  const problem = findJsonProblem(json);
  if (problem) return { ok: false, response: jsonError('invalid_field', problem.message, problem.field) };
  return { ok: true, json };
}

export class BodyTooLarge extends Error {
  constructor() {
    super('body too large');
  }
}

/** The body as text, up to maxBytes (else BodyTooLarge); invalid UTF-8 throws a TypeError. */
export async function readLimited(request: Request, maxBytes: number): Promise<string> {
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw new BodyTooLarge();
    }
    chunks.push(value);
  }
  // Invalid UTF-8 is refused (TypeError), not silently turned into U+FFFD.
  return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks));
}

/** Checks an already-read JSON value against a schema (400 naming the first wrong field). */
export function validateJson<T>(schema: z.ZodType<T>, json: unknown): ParsedBody<T> {
  const parsed = schema.safeParse(json);
  return parsed.success
    ? { ok: true, data: parsed.data }
    : { ok: false, response: zodFieldError(parsed.error) };
}

/**
 * Staff and API answers hold personal data: no browser or proxy cache may keep them
 * (`Cache-Control: no-store`), unless the route chose its own caching (e.g. a stream's no-cache).
 */
export function withNoStore<R extends Response>(response: R): R {
  try {
    if (!response.headers.has('cache-control')) response.headers.set('cache-control', 'no-store');
  } catch {
    // Immutable headers (a Response.redirect): nothing personal in it.
  }
  return response;
}
