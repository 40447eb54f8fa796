import { NextResponse } from 'next/server';
import type { z } from 'zod';
import { jsonError, readLimited, zodFieldError } from './http';

/** Maps a lib failure (typed result) to the CONTRACT error response. */
const STATUS_BY_CODE: Record<string, number> = {
  not_found: 404,
  unknown_customer: 404,
  unknown_purpose: 422,
  unknown_theme: 422,
  erased_address: 409,
  erased_customer: 409,
  identity_conflict: 409,
  conflict: 409,
  not_live: 409,
};

export function failure(result: { code: string; message: string; field?: string }): NextResponse {
  return jsonError(STATUS_BY_CODE[result.code] ?? 422, result.code, result.message, result.field);
}

export function ok(body: unknown, status = 200): NextResponse {
  return NextResponse.json(body, { status });
}

/** Reads a JSON body once (413 above maxBytes, 400 malformed) for routes that inspect it before validating. */
export async function readJson(
  request: Request,
  maxBytes: number,
): Promise<{ ok: true; json: unknown } | { ok: false; response: NextResponse }> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  const tooLarge = () => ({
    ok: false as const,
    response: jsonError(413, 'payload_too_large', `Body exceeds ${maxBytes} bytes`),
  });
  if (declared > maxBytes) return tooLarge();
  let text: string;
  try {
    text = await readLimited(request, maxBytes);
  } catch {
    return tooLarge();
  }
  try {
    return { ok: true, json: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, response: jsonError(400, 'malformed_json', 'The body is not valid JSON') };
  }
}

export function validate<T>(
  schema: z.ZodType<T>,
  json: unknown,
): { ok: true; data: T } | { ok: false; response: NextResponse } {
  const parsed = schema.safeParse(json);
  return parsed.success
    ? { ok: true, data: parsed.data }
    : { ok: false, response: zodFieldError(parsed.error) };
}
