import type { HandlerOf } from '../define';
import type { exitDeclaration } from './definition';

export const exitHandler: HandlerOf<typeof exitDeclaration> = (ctx) => ({
  end: 'completed',
  reason: ctx.config.reason ? `journey ended: ${ctx.config.reason}` : 'journey ended',
});
