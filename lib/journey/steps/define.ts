import type { z } from 'zod';
import type { Condition, ConditionGroup } from '../conditions';
import type { StepHandler } from './contract';

/** One outgoing connection point of a step; the edge's `sourceHandle` is its id. */
export interface OutputHandle<Id extends string = string> {
  readonly id: Id;
  readonly label: string;
  /**
   * A required output must be connected before publishing. An optional one left
   * open ends the customer's journey there (e.g. a skipped message).
   */
  readonly required: boolean;
}

export type StepCategory = 'flow' | 'messaging' | 'privacy';

/** Lets summaries show purpose names instead of keys when the caller knows them. */
export interface SummaryContext {
  purposeName?: (purposeKey: string) => string | undefined;
}

/**
 * What a step's handler does besides deciding and recording its own step event. The executor
 * derives how it runs the step from these (see lib/executor/step-traits.ts):
 * - `queues-mail`: hands the executor mail intents (ctx.effects.queueMail); they are written
 *   with the batch in one statement, and dropped (not rolled back) if the step throws.
 * - `writes-records`: writes rows itself through the privacy port (opt-in requests, blocks,
 *   exports, erasure): the step runs in a savepoint, after the batch's buffered rows are written.
 * - `changes-contact-facts`: consent, blocks or the customer may change: contact decisions and
 *   batch reads remembered before the step are dropped.
 * - `reads-history`: reads step events or other enrollments (the data package, erasure): the
 *   batch's buffered step events and positions are written first.
 * A step with no effects only reads.
 */
export type StepEffect = 'queues-mail' | 'writes-records' | 'changes-contact-facts' | 'reads-history';

/**
 * Personal data a step reads about the customer, for the record of processing (Art. 30, see
 * lib/journey/processing.ts): a profile `field` (email, name, language, time zone), a custom
 * `attribute`, an `event` by name, the `consent` state for a purpose, the customer's contact
 * `blocks`, or the whole `data-package` (profile, consents, journeys, messages).
 */
export type DataRead =
  { kind: 'field' | 'attribute' | 'event' | 'consent'; name: string } | { kind: 'blocks' | 'data-package' };

/** A config as stored, perhaps half filled in (validation reads fields before the schema passes). */
export type RawConfig = Readonly<Record<string, unknown>>;

/**
 * Everything the canvas, validator, API and executor need to know about one step type: its
 * declaration (schema, outputs, labels, summary), its traits (effects and what validation
 * must know), and its handler. Methods (not function properties) on purpose: method
 * parameters are bivariant, so a specific definition still fits the general `StepDefinition`.
 */
export interface StepDeclaration<
  Type extends string = string,
  Schema extends z.ZodType = z.ZodType,
  Handle extends string = string,
> {
  readonly type: Type;
  readonly label: string;
  readonly description: string;
  /** A glyph every common system font has (DejaVu, Noto, Segoe): no emoji font or download needed. */
  readonly icon: string;
  readonly category: StepCategory;
  readonly outputs: readonly OutputHandle<Handle>[];
  /**
   * The outputs a node of this type has with this (raw) config, when they depend on it (a split's
   * branches); a subset of `outputs`. Without it every node has all of `outputs`.
   */
  outputsFor?(config: RawConfig): readonly OutputHandle<Handle>[];
  readonly configSchema: Schema;
  /** What a freshly dropped node starts with; it may still need filling in (e.g. a purpose). */
  readonly defaultConfig: z.output<Schema>;
  /** The handler's effects; empty for a step that only reads (see StepEffect). */
  readonly effects: readonly StepEffect[];
  /** One line for the canvas node and audit trails. */
  summarize(config: z.output<Schema>, ctx?: SummaryContext): string;
  /** The purpose this step sends for or needs consent for; validation checks it exists. */
  purposeOf?(config: z.output<Schema>): string | undefined;
  /** Themes this step names; validation checks them against the purpose (or any purpose). */
  themesOf?(config: z.output<Schema>): string[];
  /** Purposes the step only reads, e.g. consent conditions; validation checks they exist. */
  referencedPurposesOf?(config: z.output<Schema>): string[];
  /** A named recipient of data; validation checks the purpose lists it. */
  recipientOf?(config: z.output<Schema>): string | undefined;
  /**
   * Why the step needs a purpose it lacks (read from the raw config, so a half-filled step gets a
   * plain-worded error rather than a schema message); undefined when none is needed.
   */
  missingPurpose?(config: RawConfig): string | undefined;
  /** The step contacts the customer for its purpose: validation warns when no gate confirms consent first. */
  readonly contactsForPurpose?: boolean;
  /**
   * Leaving through `output` means consent for `need` was just confirmed (a gate's "granted", an
   * opt-in's "confirmed"); only asked when the purposes match.
   */
  grantsConsent?(config: z.output<Schema>, output: string, need: { theme: string | undefined }): boolean;
  /**
   * The personal data the step reads about the customer (conditions, entry rules, message
   * variables, the consent and block checks); none when left out. The record of processing and
   * its publish-time check are built from it.
   */
  reads?(config: z.output<Schema>): DataRead[];
  /** The step holds customers for a while, so a loop through it does not spin (raw config). */
  pausesCustomers?(config: RawConfig): boolean;
}

/** A step type as one unit: its declaration plus the handler the executor runs. */
export interface StepDefinition<
  Type extends string = string,
  Schema extends z.ZodType = z.ZodType,
  Handle extends string = string,
> extends StepDeclaration<Type, Schema, Handle> {
  readonly handler: StepHandler<z.output<Schema>, Handle>;
}

/** Identity helper that keeps the literal type, schema and handle ids of a step declaration. */
export function declareStep<
  const Type extends string,
  Schema extends z.ZodType,
  const Handle extends string = never,
>(declaration: StepDeclaration<Type, Schema, Handle>): StepDeclaration<Type, Schema, Handle> {
  return declaration;
}

/** Joins a declaration and its handler into the unit the registry lists. */
export function defineStep<const Type extends string, Schema extends z.ZodType, const Handle extends string>(
  declaration: StepDeclaration<Type, Schema, Handle>,
  handler: StepHandler<z.output<Schema>, Handle>,
): StepDefinition<Type, Schema, Handle> {
  return { ...declaration, handler };
}

/** Purpose key shown with its name when known. */
export function purposeLabel(purposeKey: string, ctx?: SummaryContext): string {
  return ctx?.purposeName?.(purposeKey) ?? purposeKey;
}

/** The handler type of a declaration: its parsed config in, one of its output handles out. */
export type HandlerOf<D extends StepDeclaration> = StepHandler<
  z.output<D['configSchema']>,
  D['outputs'][number]['id']
>;

/** What a condition group reads: attributes, events and consent states, in its order. */
export function readsOfConditions(group: ConditionGroup): DataRead[] {
  return group.conditions.map((condition: Condition): DataRead => {
    switch (condition.kind) {
      case 'attribute':
        return { kind: 'attribute', name: condition.key };
      case 'event':
        return { kind: 'event', name: condition.name };
      case 'consent':
        return { kind: 'consent', name: condition.purpose };
    }
  });
}

/** A raw config field left empty (missing, not a string, or only spaces). */
export function isBlank(value: unknown): boolean {
  return typeof value !== 'string' || value.trim() === '';
}
