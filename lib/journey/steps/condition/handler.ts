import type { HandlerOf } from '../define';
import type { conditionDeclaration } from './definition';
import { describeConditionGroup, evaluateConditionGroup } from '../../conditions';

export const conditionHandler: HandlerOf<typeof conditionDeclaration> = async (ctx) => {
  const rule = ctx.config.rule;
  const eventNames = rule.conditions.flatMap((condition) =>
    condition.kind === 'event' ? [condition.name] : [],
  );
  const holds = evaluateConditionGroup(rule, await ctx.facts(eventNames));
  const described = describeConditionGroup(rule);
  return holds
    ? { outcome: 'yes', reason: `condition met: ${described}` }
    : { outcome: 'no', reason: `condition not met: ${described}` };
};
