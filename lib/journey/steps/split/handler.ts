import type { HandlerOf } from '../define';
import type { splitDeclaration } from './definition';
import {
  HOLDOUT,
  SPLIT_BRANCHES,
  armAt,
  armLabel,
  assignmentPoint,
  shareOf,
  type SplitArm,
  type SplitBranch,
} from './assignment';

/** How a holdout assignment is recorded: the customer leaves the journey at the split. */
export const HOLDOUT_OUTCOME = 'exited';
/** The outcomes a split records, which an earlier assignment is looked up by. */
export const SPLIT_OUTCOMES: readonly string[] = [...SPLIT_BRANCHES, HOLDOUT_OUTCOME];

/**
 * Sticky assignment: a customer keeps the arm of their first pass through this step (in any
 * version of the journey, so new weights do not move anyone already assigned, as long as the
 * arm still exists); otherwise the customer's stable point for this step picks the arm by the
 * current weights. A declared winner takes everyone. Holdout customers leave the journey here.
 */
export const splitHandler: HandlerOf<typeof splitDeclaration> = async (ctx) => {
  const { weights, winner } = ctx.config;
  if (winner)
    return { outcome: winner, reason: `branch ${armLabel(winner)}: declared the winner, everyone takes it` };

  const earlier = await ctx.earlierOutcome(SPLIT_OUTCOMES);
  const kept = earlier === undefined ? undefined : armOfOutcome(earlier, weights);
  if (kept) return result(kept, `kept from the first assignment, now ${shareOf(kept, weights)} weight`);

  const arm = armAt(assignmentPoint(ctx.customer.id, ctx.enrollment.journeyId, ctx.node.id), weights);
  return result(arm, `${shareOf(arm, weights)} weight`);
};

/** The arm an earlier outcome stands for, if this version of the split still has it. */
function armOfOutcome(outcome: string, weights: { branches: readonly number[]; holdout: number }) {
  if (outcome === HOLDOUT_OUTCOME) return weights.holdout > 0 ? HOLDOUT : undefined;
  const index = SPLIT_BRANCHES.indexOf(outcome as SplitBranch);
  return index >= 0 && index < weights.branches.length ? (outcome as SplitBranch) : undefined;
}

function result(arm: SplitArm, why: string) {
  if (arm === HOLDOUT)
    return {
      end: 'exited' as const,
      reason: `held out (holdout, ${why}): gets nothing from this journey`,
    };
  return { outcome: arm, reason: `branch ${armLabel(arm)}, ${why}` };
}
