import fs from 'node:fs';
import { forgetCustomer } from '../privacy-port';
import type { StepHandler } from '../types';

/**
 * Erasure in the batch's transaction: the privacy module stops the customer's other journeys,
 * cancels their mail and tells connected systems. Export files go only after the commit.
 */
export const forgetHandler: StepHandler<'forget'> = async (ctx) => {
  if (ctx.simulated) return { end: 'completed', reason: 'would erase the customer everywhere (test mode)' };
  const result = await forgetCustomer(ctx.db, ctx.customer.id, {
    source: 'journey',
    actor: `journey:${ctx.enrollment.journeyId}`,
    notifyConnectedSystems: ctx.config.notifyConnectedSystems,
    enrollmentId: ctx.enrollment.id,
    now: ctx.now,
  });
  if (!result.ok) return { end: 'completed', reason: `not erased: ${result.reason}`, clearContext: true };
  ctx.afterCommit(() => {
    for (const file of result.filesToDelete) fs.rmSync(file, { force: true });
  });
  const restricted =
    result.receipt.outcome === 'restricted'
      ? ' (records under a legal retention duty are restricted, not deleted)'
      : '';
  return {
    end: 'completed',
    reason: `erased on request; all journeys stopped${restricted}`,
    clearContext: true,
  };
};
