import type { z } from 'zod';

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
 * Everything the canvas, validator, API and executor need to know about one
 * step type. Methods (not function properties) on purpose: method parameters are
 * bivariant, so a specific definition still fits the general `StepDefinition`.
 */
export interface StepDefinition<
  Type extends string = string,
  Schema extends z.ZodType = z.ZodType,
  Handle extends string = string,
> {
  readonly type: Type;
  readonly label: string;
  readonly description: string;
  /** A short emoji or glyph for palette and node. */
  /** A glyph every common system font has (DejaVu, Noto, Segoe): no emoji font or download needed. */
  readonly icon: string;
  readonly category: StepCategory;
  readonly outputs: readonly OutputHandle<Handle>[];
  readonly configSchema: Schema;
  /** What a freshly dropped node starts with; it may still need filling in (e.g. a purpose). */
  readonly defaultConfig: z.output<Schema>;
  /** One line for the canvas node and audit trails. */
  summarize(config: z.output<Schema>, ctx?: SummaryContext): string;
  /** The purpose this step sends for or needs consent for; validation checks it exists. */
  purposeOf?(config: z.output<Schema>): string | undefined;
  /** Themes this step names; validation checks them against the purpose (or any purpose). */
  themesOf?(config: z.output<Schema>): string[];
  /** Purposes the step only reads, e.g. consent conditions; validation checks they exist. */
  referencedPurposesOf?(config: z.output<Schema>): string[];
}

/** Identity helper that keeps the literal type, schema and handle ids of a step. */
export function defineStep<
  const Type extends string,
  Schema extends z.ZodType,
  const Handle extends string = never,
>(definition: StepDefinition<Type, Schema, Handle>): StepDefinition<Type, Schema, Handle> {
  return definition;
}

/** Purpose key shown with its name when known. */
export function purposeLabel(purposeKey: string, ctx?: SummaryContext): string {
  return ctx?.purposeName?.(purposeKey) ?? purposeKey;
}
