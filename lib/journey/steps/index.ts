import type { z } from 'zod';
import type { OutputHandle, RawConfig, StepDefinition, SummaryContext } from './define';
import { STEP_UNITS } from './registry';

type Units = typeof STEP_UNITS;

/** The step type ids (stable: graph JSON, canvas and executor share them), in palette order (the order of the registry). */
export const STEP_TYPES = STEP_UNITS.map((unit) => unit.type) as unknown as TypesOf<Units>;

/** A generic mapped type, so TypeScript maps the tuple element by element. */
type TypesOf<T extends readonly { type: string }[]> = {
  readonly [I in keyof T]: T[I] extends { type: infer Type } ? Type : never;
};

export type StepType = Units[number]['type'];

/** Each step type's definition with its precise config and handle types. */
export type StepDefinitions = { [K in StepType]: Extract<Units[number], { type: K }> };

/** Keyed by type: the registry's units, found without a search. */
export const stepDefinitions = Object.fromEntries(
  STEP_UNITS.map((unit) => [unit.type, unit]),
) as unknown as StepDefinitions;

/** A definition whose step type is only known at run time (config typed as unknown). */
export type AnyStepDefinition = StepDefinition<StepType>;

/** Parsed config of a step type. */
export type ConfigOf<T extends StepType> = z.output<StepDefinitions[T]['configSchema']>;
/** Config of a step type as accepted on input (fields with defaults may be left out). */
export type ConfigInputOf<T extends StepType> = z.input<StepDefinitions[T]['configSchema']>;
/** Output handle ids of a step type, e.g. OutputHandleOf<'condition'> = 'yes' | 'no'. */
export type OutputHandleOf<T extends StepType> = StepDefinitions[T]['outputs'][number]['id'];

const stepTypeSet: ReadonlySet<string> = new Set(STEP_TYPES);

export function isStepType(value: unknown): value is StepType {
  return typeof value === 'string' && stepTypeSet.has(value);
}

export function getStep<T extends StepType>(type: T): StepDefinitions[T] {
  return stepDefinitions[type];
}

/** The same definition, widened for code that handles every step type alike (palette, inspector). */
export function getAnyStep(type: StepType): AnyStepDefinition {
  return stepDefinitions[type];
}

/**
 * The outputs of a step of this type; pass the node's config for a type whose outputs depend on
 * it (a split's branches). Without a config such a type shows the outputs of its default config.
 */
export function outputsOf(type: StepType, config?: unknown): readonly OutputHandle[] {
  const definition: AnyStepDefinition = stepDefinitions[type];
  if (!definition.outputsFor) return definition.outputs;
  const raw = config ?? definition.defaultConfig;
  return definition.outputsFor(typeof raw === 'object' && raw !== null ? (raw as RawConfig) : {});
}

/** A node's outputs, from its type and config. */
export function outputsOfNode(node: { type: StepType; config?: unknown }): readonly OutputHandle[] {
  return outputsOf(node.type, node.config);
}

/** Terminal steps have no outputs: nothing may follow them. */
export function isTerminalStep(type: StepType): boolean {
  return outputsOf(type).length === 0;
}

/**
 * Summary of a config whose validity is not known yet (e.g. a node being edited on
 * the canvas): parses it first so summarize only ever sees a valid config.
 */
export function summarizeStepConfig(type: StepType, config: unknown, ctx?: SummaryContext): string {
  const definition = getAnyStep(type);
  const parsed = definition.configSchema.safeParse(config);
  return parsed.success ? definition.summarize(parsed.data, ctx) : `${definition.label} (needs setup)`;
}

export type {
  DataRead,
  HandlerOf,
  OutputHandle,
  RawConfig,
  StepCategory,
  StepDeclaration,
  StepDefinition,
  StepEffect,
  SummaryContext,
} from './define';
export { declareStep, defineStep } from './define';
export type * from './contract';
export { DAY_MS, HOUR_MS } from './contract';
export * from './split/assignment';
export { HOLDOUT_OUTCOME, SPLIT_OUTCOMES } from './split/handler';
export type { SplitConfig } from './split/definition';
export { waitKeys } from '@/lib/vocabulary/wait-keys';
export * from './field-meta';
