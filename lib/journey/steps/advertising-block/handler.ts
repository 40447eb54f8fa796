import type { HandlerOf } from '../define';
import type { advertisingBlockDeclaration } from './definition';

/**
 * Checks blocks that cover the configured scope; a block on all contact covers every scope.
 * Reuses the contact check's block lookup so "blocked" means the same everywhere.
 */
export const advertisingBlockHandler: HandlerOf<typeof advertisingBlockDeclaration> = async (ctx) => {
  const { scope, channel, theme } = ctx.config;
  const block = await ctx.effects.activeBlock({
    address: scope === 'address' ? ctx.customer.email : null,
    // No real channel is named '' : scope 'all' then matches only blocks on all contact.
    channel: scope === 'channel' && channel ? channel : '',
    themeKey: scope === 'theme' ? theme : undefined,
    saleSharing: scope === 'sale-sharing',
  });
  if (block)
    return { outcome: 'blocked', reason: `blocked: contact block on ${block.scope} (${block.reason})` };
  return { outcome: 'clear', reason: 'no contact block' };
};
