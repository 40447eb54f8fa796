import { z } from 'zod';
import { declareStep, type OutputHandle, type RawConfig } from '../define';
import { HOLDOUT, SPLIT_BRANCHES, armLabel, shareOf, weightedArms, type SplitBranch } from './assignment';

const weightSchema = z
  .number()
  .int('Use a whole number')
  .min(0, 'A weight cannot be negative')
  .max(1000, 'At most 1000');

const weightsSchema = z
  .strictObject({
    branches: z
      .array(weightSchema.meta({ label: 'Weight' }))
      .min(2, 'A split needs at least 2 branches')
      .max(SPLIT_BRANCHES.length, `A split has at most ${SPLIT_BRANCHES.length} branches`)
      .meta({ label: 'Branch' }),
    holdout: weightSchema.default(0).meta({ label: 'Holdout' }),
  })
  .refine((weights) => weights.branches.some((weight) => weight > 0), {
    message: 'At least one branch needs a weight above 0',
    path: ['branches'],
  })
  .describe('Weights of the branches A, B, … and of the holdout (0 = no holdout)')
  .meta({
    label: 'Branches',
    widget: 'split-weights',
    help: 'Each customer lands in one branch at random, in proportion to the weights, and stays in it. Holdout customers get nothing from this journey: they leave it here and are counted for comparison.',
  });

const configSchema = z
  .strictObject({
    weights: weightsSchema,
    winner: z
      .enum(SPLIT_BRANCHES)
      .optional()
      .describe('When set, every customer takes this branch')
      .meta({
        label: 'Winner',
        help: 'Everyone takes this branch, whatever they were assigned before. Declaring a winner in the live view sets it.',
        options: Object.fromEntries(SPLIT_BRANCHES.map((branch) => [branch, `Branch ${armLabel(branch)}`])),
      }),
  })
  .superRefine((config, ctx) => {
    if (config.winner && SPLIT_BRANCHES.indexOf(config.winner) >= config.weights.branches.length)
      ctx.addIssue({ code: 'custom', path: ['winner'], message: 'The winner must be one of the branches' });
  });

export type SplitConfig = z.output<typeof configSchema>;

const ALL_OUTPUTS = SPLIT_BRANCHES.map((branch): OutputHandle<SplitBranch> => ({
  id: branch,
  label: armLabel(branch),
  required: true,
}));

/** How many branches a (perhaps half-filled) config has: 2 to 10, 2 when it cannot tell. */
function branchCountOf(config: RawConfig): number {
  const weights = config.weights;
  const branches =
    typeof weights === 'object' && weights !== null
      ? (weights as Record<string, unknown>).branches
      : undefined;
  if (!Array.isArray(branches)) return 2;
  return Math.min(SPLIT_BRANCHES.length, Math.max(2, branches.length));
}

export const splitDeclaration = declareStep({
  type: 'split',
  label: 'Split test',
  description: 'Splits customers at random into branches A, B, … by weight, with an optional holdout.',
  icon: '⑂',
  category: 'flow',
  // Every branch a split can have; a node shows and needs only its own (outputsFor).
  outputs: ALL_OUTPUTS,
  outputsFor: (config) => ALL_OUTPUTS.slice(0, branchCountOf(config)),
  configSchema,
  defaultConfig: { weights: { branches: [50, 50], holdout: 0 } },
  summarize: (config) => {
    if (config.winner) return `Everyone to ${armLabel(config.winner)} (the winner)`;
    const arms = weightedArms(config.weights).map(
      ({ arm }) => `${arm === HOLDOUT ? 'holdout' : armLabel(arm)} ${shareOf(arm, config.weights)}`,
    );
    return `Split ${arms.join(' · ')}`;
  },
  effects: [],
});
