import type { HandlerOf } from '../define';
import type { transferDeclaration } from './definition';

/**
 * To the customer: an export with an expiring link, mailed (always allowed: it is their own data).
 * To a recipient: only with consent for the recipient's purpose, checked by the privacy module.
 * In test mode nothing leaves: the decision is made and described.
 */
export const transferHandler: HandlerOf<typeof transferDeclaration> = async (ctx) => {
  const config = ctx.config;
  if (config.to === 'customer') {
    if (!ctx.customer.email) return { outcome: 'refused', reason: 'not sent: no email address on file' };
    if (ctx.simulated)
      return { outcome: 'delivered', reason: 'would mail you a download link to your data (test mode)' };
    await ctx.effects.mailExportLink();
    return { outcome: 'delivered', reason: 'mailed you a download link to your data package' };
  }

  const purposeKey = config.purpose ?? '';
  const recipientKey = config.recipient ?? '';
  if (ctx.simulated) {
    const decision = await ctx.consent.check({ purposeKey });
    return decision.allowed
      ? { outcome: 'delivered', reason: `would deliver your data to ${recipientKey} (test mode)` }
      : { outcome: 'refused', reason: `not delivered to ${recipientKey}: ${decision.reason}` };
  }
  const result = await ctx.effects.transferToRecipient({ purposeKey, recipientKey });
  return result.delivered
    ? { outcome: 'delivered', reason: result.reason || `delivered your data to ${recipientKey}` }
    : { outcome: 'refused', reason: result.reason || `not delivered to ${recipientKey}` };
};
