import type { StepHandler } from '../types';

/** Entry only records why the customer came in (decided at enrollment: target group or event). */
export const entryHandler: StepHandler<'entry'> = (ctx) => {
  const why = ctx.enrollment.context.entryReason;
  return { outcome: 'next', reason: typeof why === 'string' ? why : 'entered the journey' };
};
