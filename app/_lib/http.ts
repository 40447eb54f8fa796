import { NextResponse } from 'next/server';
import type { z } from 'zod';

export type ErrorCode =
  | 'bad_request'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'payload_too_large'
  | 'unprocessable'
  | 'rate_limited'
  | string;

/** The error shape of CONTRACT.md: {"error":{"code","message","field?"}}. */
export function jsonError(
  status: number,
  code: ErrorCode,
  message: string,
  field?: string,
  headers?: HeadersInit,
): NextResponse {
  return NextResponse.json({ error: { code, message, ...(field ? { field } : {}) } }, { status, headers });
}

export function zodFieldError(error: z.ZodError): NextResponse {
  const issue = error.issues[0];
  const field = issue?.path.map(String).join('.') || undefined;
  return jsonError(
    400,
    'invalid_field',
    issue ? `${field ?? 'body'}: ${issue.message}` : 'Invalid request body',
    field,
  );
}

const DEFAULT_MAX_BODY = 1024 * 1024;

/**
 * Reads and parses a JSON body with a size limit: 413 when too large, 400 when malformed,
 * 400 naming the first wrong field when it does not match the schema.
 */
export async function parseJsonBody<T>(
  request: Request,
  schema: z.ZodType<T>,
  maxBytes = DEFAULT_MAX_BODY,
): Promise<{ ok: true; data: T } | { ok: false; response: NextResponse }> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > maxBytes)
    return { ok: false, response: jsonError(413, 'payload_too_large', `Body exceeds ${maxBytes} bytes`) };
  let text: string;
  try {
    text = await readLimited(request, maxBytes);
  } catch {
    return { ok: false, response: jsonError(413, 'payload_too_large', `Body exceeds ${maxBytes} bytes`) };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, response: jsonError(400, 'malformed_json', 'The body is not valid JSON') };
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) return { ok: false, response: zodFieldError(parsed.error) };
  return { ok: true, data: parsed.data };
}

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
      throw new Error('too large');
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
