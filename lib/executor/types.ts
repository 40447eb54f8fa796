import type { Db } from '@/db/client';
import type { CustomerRuntime, PurposeRuntime } from '@/db/store/journey-runtime';
import type { EnrollmentRecord } from '@/db/store/enrollments';
import type { NewOutboxEmail } from '@/db/store/outbox';
import type { ConditionFacts, ConfigOf, JourneyGraph, NodeOf, OutputHandleOf, StepType } from '@/lib/journey';
import type { ConsentState } from '@/db/schema';
import type { ContactCheckInput, ContactDecision } from '@/lib/privacy/contact-check';

export type EndState = 'completed' | 'exited' | 'cancelled';

/**
 * What a step decided. `outcome` leaves through an output handle; `wait` stays on the step
 * until `until` (or a wake-up on `waitKey`) and runs it again; `end` finishes the journey.
 * `remember` adds per-enrollment data for later steps (purged with the journey's data).
 */
export type StepResult<Handle extends string = string> =
  | { outcome: Handle; reason: string; remember?: Record<string, unknown> }
  | { wait: { until: Date; waitKey?: string }; reason: string; remember?: Record<string, unknown> }
  | { end: EndState; reason: string; clearContext?: boolean };

/** The consent check and state reads, so a simulation can assume consent without touching the ledger. */
export interface ConsentAccess {
  check(input: Omit<ContactCheckInput, 'customerId' | 'now'>): Promise<ContactDecision>;
  state(purposeKey: string, themeKey?: string): Promise<{ state: ConsentState; updatedAt?: Date }>;
}

export interface StepContext<K extends StepType> {
  /** The batch's transaction: privacy calls and outbox rows commit with the transition or not at all. */
  db: Db;
  graph: JourneyGraph;
  node: NodeOf<K>;
  config: ConfigOf<K>;
  enrollment: EnrollmentRecord;
  customer: CustomerRuntime;
  now: Date;
  /** When the enrollment reached this step; waits and timeouts count from here. */
  arrivedAt: Date;
  /** The step already ran for this enrollment and asked to wait; this is the wake-up or timeout. */
  resumed: boolean;
  consent: ConsentAccess;
  purpose(key: string): Promise<PurposeRuntime | undefined>;
  /** Facts for condition rules: attributes, consent states, and the named events. */
  facts(eventNames: string[]): Promise<ConditionFacts>;
  /** Test mode: decide as for real, but no mail, consent change, erasure or file leaves the run. */
  simulated: boolean;
  /** Work outside the database (deleting files) that must happen only once the transition committed. */
  afterCommit(task: () => void): void;
  /**
   * In an executor batch: rows the step hands over instead of inserting them itself; the engine
   * writes a batch's rows together (before commit, and before any step that reads them).
   */
  writes?: BufferedWrites;
}

/** The send step's rows, buffered per executor batch (see StepContext.writes). */
export interface BufferedWrites {
  mail(email: NewOutboxEmail): void;
  /** Marketing mail this batch queued for the customer and has not written yet (frequency caps count it). */
  queuedMailOf(customerId: number): number;
}

export type StepHandler<K extends StepType> = (
  ctx: StepContext<K>,
) => StepResult<OutputHandleOf<K>> | Promise<StepResult<OutputHandleOf<K>>>;

export type StepHandlers = { [K in StepType]: StepHandler<K> };

export const HOUR_MS = 60 * 60 * 1000;
export const DAY_MS = 24 * HOUR_MS;
