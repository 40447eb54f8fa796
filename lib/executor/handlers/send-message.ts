import { countRecentMail, insertOutboxEmail, type NewOutboxEmail } from '@/db/store/outbox';
import type { JourneyMailRef } from '@/lib/mail/journey-mail';
import { quietHoursEnd, safeTimeZone } from '../time';
import { DAY_MS, type StepHandler } from '../types';
import { basisPhrase } from './reasons';

/**
 * Decides and queues one marketing mail: the shared contact check, the frequency cap per customer
 * and channel, quiet hours in the customer's time zone (hold and re-run), then an outbox row
 * keyed by (enrollment, seq) so a replayed transition cannot queue a second copy.
 */
export const sendMessageHandler: StepHandler<'send-message'> = async (ctx) => {
  const { purpose: purposeKey, theme, frequencyCap, quietHours } = ctx.config;
  const decision = await ctx.consent.check({ purposeKey, themeKey: theme, channel: 'email' });
  if (!decision.allowed) return { outcome: 'skipped', reason: decision.reason };
  if (!ctx.customer.email) return { outcome: 'skipped', reason: 'skipped: no email address on file' };

  if (frequencyCap) {
    const since = ctx.now.getTime() - frequencyCap.perDays * DAY_MS;
    // Mail this batch queued for the customer but has not written yet counts too (created now).
    const recent =
      (await countRecentMail(ctx.db, ctx.customer.id, since)) +
      (ctx.writes?.queuedMailOf(ctx.customer.id) ?? 0);
    if (recent >= frequencyCap.max) {
      return {
        outcome: 'skipped',
        reason: `skipped: already ${recent} messages in the last ${frequencyCap.perDays} days (limit ${frequencyCap.max})`,
      };
    }
  }

  if (quietHours) {
    const timeZone = safeTimeZone(ctx.customer.timeZone);
    const holdUntil = quietHoursEnd(ctx.now, quietHours, timeZone);
    if (holdUntil) {
      return {
        wait: { until: holdUntil },
        reason: `held for quiet hours (${quietHours.start}–${quietHours.end}, ${timeZone}); sending at ${quietHours.end}`,
      };
    }
  }

  const purpose = await ctx.purpose(purposeKey);
  // Rendered by the dispatcher when it sends (lib/mail/journey-mail): the row names the step.
  const email: NewOutboxEmail = {
    idempotencyKey: `journey:${ctx.enrollment.id}:${ctx.enrollment.seq}`,
    category: 'marketing',
    customerId: ctx.customer.id,
    purposeId: purpose?.id ?? null,
    themeKey: theme ?? null,
    enrollmentId: ctx.enrollment.testMode && ctx.simulated ? null : ctx.enrollment.id,
    toAddress: null,
    subject: null,
    bodyText: null,
    bodyHtml: null,
    headers: null,
    payload: {
      journeyId: ctx.enrollment.journeyId,
      versionId: ctx.enrollment.versionId,
      nodeId: ctx.node.id,
    } satisfies JourneyMailRef,
    now: ctx.now.getTime(),
  };
  // In an executor batch the engine writes the batch's mails together (one multi-row INSERT).
  if (ctx.writes) ctx.writes.mail(email);
  else await insertOutboxEmail(ctx.db, email);
  return { outcome: 'sent', reason: `sent because ${await basisPhrase(ctx, purposeKey, theme)}` };
};
