import type { z } from 'zod';
import { advertisingBlockStep } from './advertising-block';
import { conditionStep } from './condition';
import { consentGateStep } from './consent-gate';
import type { OutputHandle, StepDefinition, SummaryContext } from './define';
import { doubleOptInStep } from './double-opt-in';
import { entryStep } from './entry';
import { exitStep } from './exit';
import { forgetStep } from './forget';
import { referenceStep } from './reference';
import { sendMessageStep } from './send-message';
import { setAdvertisingBlockStep } from './set-advertising-block';
import { transferStep } from './transfer';
import { waitStep } from './wait';

/** The step type ids of CONTRACT.md, in palette order. */
export const STEP_TYPES = [
  'entry',
  'send-message',
  'consent-gate',
  'double-opt-in',
  'advertising-block',
  'set-advertising-block',
  'reference',
  'transfer',
  'forget',
  'wait',
  'condition',
  'exit',
] as const;

export type StepType = (typeof STEP_TYPES)[number];

const definitions = {
  entry: entryStep,
  'send-message': sendMessageStep,
  'consent-gate': consentGateStep,
  'double-opt-in': doubleOptInStep,
  'advertising-block': advertisingBlockStep,
  'set-advertising-block': setAdvertisingBlockStep,
  reference: referenceStep,
  transfer: transferStep,
  forget: forgetStep,
  wait: waitStep,
  condition: conditionStep,
  exit: exitStep,
} satisfies { [K in StepType]: StepDefinition<K> };

/** Each step type's definition with its precise config and handle types. */
export type StepDefinitions = typeof definitions;

/** Typed record: a step type without a definition (or a mismatched `type`) fails to compile. */
export const stepDefinitions: StepDefinitions = definitions;

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

export function outputsOf(type: StepType): readonly OutputHandle[] {
  return stepDefinitions[type].outputs;
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

export type { OutputHandle, StepCategory, StepDefinition, SummaryContext } from './define';
export { defineStep } from './define';
