import type { StepHandler } from '../types';

export const exitHandler: StepHandler<'exit'> = (ctx) => ({
  end: 'completed',
  reason: ctx.config.reason ? `journey ended: ${ctx.config.reason}` : 'journey ended',
});
