import { HOUR_MS } from '../contract';
import type { HandlerOf } from '../define';
import type { doubleOptInDeclaration } from './definition';
import { waitKeys } from '@/lib/vocabulary/wait-keys';
import { humanDate } from '../time';

/**
 * First run: asks the privacy module to send the confirmation mail, then waits keyed on the
 * purpose so the click wakes the customer at once. A re-run (wake-up or expiry) reads the state.
 */
export const doubleOptInHandler: HandlerOf<typeof doubleOptInDeclaration> = async (ctx) => {
  const { purpose: purposeKey, themes, expiresHours } = ctx.config;
  const purposeName = (await ctx.purpose(purposeKey))?.name ?? purposeKey;
  const deadline = new Date(ctx.arrivedAt.getTime() + expiresHours * HOUR_MS);
  const waitForClick = (reason: string) => ({
    wait: { until: deadline, waitKey: waitKeys.consent(purposeKey) },
    reason,
  });

  if (!ctx.resumed) {
    const request = await ctx.effects.requestDoubleOptIn({ purposeKey, themes, expiresHours });
    if (request.ok)
      return request.value.kind === 'already-granted'
        ? { outcome: 'confirmed', reason: `already confirmed ${purposeName}` }
        : waitForClick(`asked to confirm ${purposeName}; the link is valid ${expiresHours} h`);
    if (request.error.code === 'rate_limited')
      return waitForClick(`a confirmation mail for ${purposeName} was sent recently; waiting for the click`);
    return { outcome: 'expired', reason: `not asked to confirm ${purposeName}: ${request.error.message}` };
  }

  const current = await ctx.consent.state(purposeKey);
  if (current.state === 'granted') {
    const when = current.updatedAt ? ` on ${humanDate(current.updatedAt)}` : '';
    return { outcome: 'confirmed', reason: `confirmed ${purposeName}${when}` };
  }
  if (ctx.now.getTime() >= deadline.getTime()) {
    return { outcome: 'expired', reason: `the confirmation link for ${purposeName} expired unconfirmed` };
  }
  return waitForClick(`still waiting for the confirmation of ${purposeName}`);
};
