import { NextResponse } from 'next/server';
import { BodyTooLarge, jsonError, readLimited } from '@/app/_lib/http';
import { findJsonProblem } from '@/lib/api/json-guard';
import {
  confirmSnsSubscription,
  presentedSecret,
  recordDeliverabilityEvents,
  secretMatches,
} from '@/lib/delivery/deliverability';
import { parseNotification } from '@/lib/deliverability/notifications';
import { DELIVERABILITY_PROVIDERS, type DeliverabilityProvider } from '@/lib/vocabulary/delivery';

export const dynamic = 'force-dynamic';

const MAX_BODY = 256 * 1024;

/**
 * Bounce and complaint notifications from mail providers (generic JSON, Amazon SES via SNS,
 * Postmark). Authenticated with the shared secret (TARMO_DELIVERABILITY_SECRET; Bearer, Basic
 * password or X-Tarmo-Secret, compared in constant time): 401 without it, before the body is read.
 */
export async function POST(request: Request, context: { params: Promise<{ provider: string }> }) {
  const { provider } = await context.params;
  if (!(DELIVERABILITY_PROVIDERS as readonly string[]).includes(provider))
    return jsonError('not_found', `Unknown provider; use one of ${DELIVERABILITY_PROVIDERS.join(', ')}`);
  if (!secretMatches(presentedSecret(request.headers)))
    return jsonError(
      'unauthorized',
      'Send the deliverability secret (Authorization: Bearer <secret>)',
      undefined,
      {
        'www-authenticate': 'Bearer, Basic realm="tarmo-deliverability"',
      },
    );
  let raw: string;
  try {
    raw = await readLimited(request, MAX_BODY);
  } catch (error) {
    if (error instanceof BodyTooLarge)
      return jsonError('payload_too_large', `Body exceeds ${MAX_BODY} bytes`);
    return jsonError('malformed_json', 'The body is not valid UTF-8');
  }
  let body: unknown;
  try {
    // SNS posts JSON as text/plain: the body is read as JSON whatever its content type.
    body = JSON.parse(raw) as unknown;
  } catch {
    return jsonError('malformed_json', 'The body is not valid JSON');
  }
  const problem = findJsonProblem(body);
  if (problem) return jsonError('invalid_field', problem.message, problem.field);
  const parsed = parseNotification(provider as DeliverabilityProvider, body);
  if (!parsed.ok) return jsonError('invalid_field', parsed.message, parsed.field);
  const notification = parsed.value;
  if (notification.kind === 'subscription-confirmation') {
    const confirmed = await confirmSnsSubscription(notification.subscribeUrl);
    if (!confirmed.ok)
      return jsonError(
        'unprocessable',
        `The subscription could not be confirmed: ${confirmed.reason ?? 'failed'}`,
      );
    return NextResponse.json({ confirmed: true });
  }
  if (notification.kind === 'ignored')
    return NextResponse.json({ recorded: 0, ignored: notification.reason });
  const outcomes = await recordDeliverabilityEvents(provider, notification.events, raw);
  return NextResponse.json({
    recorded: outcomes.length,
    outcomes: outcomes.map((outcome) => ({
      notificationId: outcome.notificationId,
      kind: outcome.kind,
      matchedMail: outcome.outboxId !== null,
      blocked: outcome.blockId !== null,
      consentWithdrawn: outcome.withdrawalEventId !== null,
      retried: outcome.retried,
    })),
  });
}
