import { DAY_MS } from '../contract';
import type { HandlerOf } from '../define';
import { basisPhrase } from '../reasons';
import { quietHoursEnd, safeTimeZone } from '../time';
import type { sendMessageDeclaration } from './definition';

/**
 * Decides one marketing mail: the shared contact check, the frequency cap per customer and
 * channel, quiet hours in the customer's time zone (hold and re-run), then a mail intent the
 * executor writes with its batch, keyed by (enrollment, seq) so a replayed transition cannot
 * queue a second copy. The dispatcher renders the mail from the step when it sends.
 */
export const sendMessageHandler: HandlerOf<typeof sendMessageDeclaration> = async (ctx) => {
  const { purpose: purposeKey, theme, frequencyCap, quietHours } = ctx.config;
  const decision = await ctx.consent.check({ purposeKey, themeKey: theme, channel: 'email' });
  if (!decision.allowed) return { outcome: 'skipped', reason: decision.reason };
  if (!ctx.customer.email) return { outcome: 'skipped', reason: 'skipped: no email address on file' };

  if (frequencyCap) {
    const recent = await ctx.effects.recentMailCount(ctx.now.getTime() - frequencyCap.perDays * DAY_MS);
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
  ctx.effects.queueMail({ purposeId: purpose?.id ?? null, themeKey: theme ?? null });
  return { outcome: 'sent', reason: `sent because ${await basisPhrase(ctx, purposeKey, theme)}` };
};
