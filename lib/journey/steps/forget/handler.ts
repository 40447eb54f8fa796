import type { HandlerOf } from '../define';
import type { forgetDeclaration } from './definition';

/**
 * Erasure in the batch's transaction: the privacy module stops the customer's other journeys,
 * cancels their mail and tells connected systems. Export files go only after the commit (the
 * executor's port does that).
 */
export const forgetHandler: HandlerOf<typeof forgetDeclaration> = async (ctx) => {
  if (ctx.simulated) return { end: 'completed', reason: 'would erase the customer everywhere (test mode)' };
  const result = await ctx.effects.forgetCustomer({
    notifyConnectedSystems: ctx.config.notifyConnectedSystems,
  });
  if (!result.ok)
    return { end: 'completed', reason: `not erased: ${result.error.message}`, clearContext: true };
  const restricted = result.value.restricted
    ? ' (records under a legal retention duty are restricted, not deleted)'
    : '';
  return {
    end: 'completed',
    reason: `erased on request; all journeys stopped${restricted}`,
    clearContext: true,
  };
};
