import { HOUR_MS } from '../contract';
import type { HandlerOf } from '../define';
import type { consentGateDeclaration } from './definition';
import { waitKeys } from '@/lib/vocabulary/wait-keys';
import { basisPhrase } from '../reasons';

/**
 * One check through the shared contact check. With a timeout the customer waits, keyed so a grant
 * (or a lifted block) wakes them at once; the deadline counts from arrival at the gate.
 */
export const consentGateHandler: HandlerOf<typeof consentGateDeclaration> = async (ctx) => {
  const { purpose: purposeKey, theme, timeoutHours } = ctx.config;
  const decision = await ctx.consent.check({ purposeKey, themeKey: theme });
  const purposeName = (await ctx.purpose(purposeKey))?.name ?? purposeKey;
  if (decision.allowed) {
    return { outcome: 'granted', reason: `continued: ${await basisPhrase(ctx, purposeKey, theme)}` };
  }
  const final = decision.code === 'erased' || decision.code === 'unknown-purpose';
  if (timeoutHours === 0 || final) return { outcome: 'not-granted', reason: decision.reason };

  const deadline = new Date(ctx.arrivedAt.getTime() + timeoutHours * HOUR_MS);
  if (ctx.now.getTime() >= deadline.getTime()) {
    return {
      outcome: 'timed-out',
      reason: `timed out after ${timeoutHours} h waiting for consent to ${purposeName}`,
    };
  }
  const waitKey = decision.code === 'blocked' ? waitKeys.blockLift() : waitKeys.consent(purposeKey);
  return {
    wait: { until: deadline, waitKey },
    reason: `waiting up to ${timeoutHours} h for consent to ${purposeName} (${decision.reason})`,
  };
};
