import { setContactBlock } from '../privacy-port';
import type { StepHandler } from '../types';

export const setAdvertisingBlockHandler: StepHandler<'set-advertising-block'> = async (ctx) => {
  const { scope, channel, theme, reason, evidence } = ctx.config;
  if (scope === 'address' && !ctx.customer.email) {
    return { outcome: 'next', reason: 'no block set: no address on file to block' };
  }
  const result = await setContactBlock(ctx.db, {
    customerId: ctx.customer.id,
    scope,
    channel,
    themeKey: theme,
    address: scope === 'address' ? (ctx.customer.email ?? undefined) : undefined,
    reason,
    evidence,
    setBy: `journey:${ctx.enrollment.journeyId}`,
    now: ctx.now,
  });
  if (!result.ok) return { outcome: 'next', reason: `no block set: ${result.reason}` };
  const what =
    scope === 'all'
      ? 'all contact'
      : scope === 'channel'
        ? `${channel} contact`
        : scope === 'theme'
          ? `theme ${theme}`
          : 'this address';
  return { outcome: 'next', reason: `blocked ${what} (${reason})` };
};
