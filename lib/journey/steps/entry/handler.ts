import type { HandlerOf } from '../define';
import type { entryDeclaration } from './definition';

/** Entry only records why the customer came in (decided at enrollment: target group or event). */
export const entryHandler: HandlerOf<typeof entryDeclaration> = (ctx) => {
  const why = ctx.enrollment.context.entryReason;
  return { outcome: 'next', reason: typeof why === 'string' ? why : 'entered the journey' };
};
