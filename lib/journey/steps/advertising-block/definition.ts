import { z } from 'zod';
import { declareStep } from '../define';
import { blockScopeShape, describeBlockScope, refineBlockScope } from '../shared';

const configSchema = z.strictObject(blockScopeShape).superRefine(refineBlockScope);

export const advertisingBlockDeclaration = declareStep({
  type: 'advertising-block',
  label: 'Advertising block?',
  description: 'Checks for an active contact block at a scope.',
  icon: '⊘',
  category: 'privacy',
  outputs: [
    { id: 'blocked', label: 'Blocked', required: false },
    { id: 'clear', label: 'Clear', required: true },
  ],
  configSchema,
  defaultConfig: { scope: 'all' },
  summarize: (config) => `Check block on ${describeBlockScope(config)}`,
  themesOf: (config) => (config.scope === 'theme' && config.theme ? [config.theme] : []),
  reads: () => [{ kind: 'blocks' }],
  effects: [],
});
