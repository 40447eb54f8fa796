import type { HandlerOf } from '../define';
import { formatDuration } from '../field-meta';
import type { waitDeclaration } from './definition';
import { nextLocalTime, safeTimeZone } from '../time';

/**
 * The end of the wait counts from when the customer reached the step, so a re-run after a crash
 * or an early claim computes the same instant.
 */
export const waitHandler: HandlerOf<typeof waitDeclaration> = (ctx) => {
  const timeZone = safeTimeZone(ctx.customer.timeZone);
  const until =
    ctx.config.mode === 'duration'
      ? new Date(ctx.arrivedAt.getTime() + ctx.config.minutes * 60_000)
      : nextLocalTime(ctx.arrivedAt, ctx.config.time, timeZone);
  const what =
    ctx.config.mode === 'duration'
      ? formatDuration(ctx.config.minutes, 'minutes')
      : `${ctx.config.time} (${timeZone})`;
  if (ctx.now.getTime() >= until.getTime()) return { outcome: 'next', reason: `waited ${what}` };
  return { wait: { until }, reason: `waiting until ${what}` };
};
