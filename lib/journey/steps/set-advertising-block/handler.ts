import type { HandlerOf } from '../define';
import type { setAdvertisingBlockDeclaration } from './definition';

export const setAdvertisingBlockHandler: HandlerOf<typeof setAdvertisingBlockDeclaration> = async (ctx) => {
  const { scope, channel, theme, reason, evidence } = ctx.config;
  if (scope === 'address' && !ctx.customer.email) {
    return { outcome: 'next', reason: 'no block set: no address on file to block' };
  }
  const result = await ctx.effects.setContactBlock({
    scope,
    channel,
    themeKey: theme,
    address: scope === 'address' ? (ctx.customer.email ?? undefined) : undefined,
    reason,
    evidence,
  });
  if (!result.ok) return { outcome: 'next', reason: `no block set: ${result.error.message}` };
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
