import { after, NextResponse } from 'next/server';
import { failureResponse, jsonError, parseJsonBody } from '@/app/_lib/http';
import { hitRateLimit } from '@/lib/auth/rate-limits';
import { clientInfo } from '@/lib/privacy/http';
import { gpcSignalled } from '@/lib/privacy/gpc';
import {
  checkSubscribeRequest,
  processSignup,
  subscribeAnswer,
  subscribeSchema,
} from '@/lib/privacy/subscribe';
import { log } from '@/lib/config/log';

export const dynamic = 'force-dynamic';

/** Public double opt-in sign-up: always 202 with the same body for any valid request. */
export async function POST(request: Request) {
  const client = clientInfo(request);
  const limit = await hitRateLimit(`subscribe:ip:${client.ip ?? 'unknown'}`, 30, 10 * 60_000);
  if (!limit.allowed)
    return jsonError('rate_limited', 'Too many sign-ups from here; try again later', undefined, {
      'retry-after': String(limit.retryAfterSeconds),
    });
  const parsed = await parseJsonBody(request, subscribeSchema, 8 * 1024);
  if (!parsed.ok) return parsed.response;
  const check = await checkSubscribeRequest(parsed.data);
  if (!check.ok) return failureResponse(check.error);
  const gpc = gpcSignalled(request.headers);
  after(async () => {
    try {
      await processSignup(parsed.data, client, gpc);
    } catch (error) {
      // No address in logs.
      log().error({ err: error }, 'subscribe: sign-up failed');
    }
  });
  return NextResponse.json(await subscribeAnswer(parsed.data, gpc), { status: 202 });
}
