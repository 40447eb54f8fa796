import type { Failure, Result } from '@/lib/result';
import type { ConditionFacts, ConsentState } from '../conditions';

/**
 * What a step handler sees and may do. Handlers decide; they touch no database. Reads come
 * through the context, effects through `ctx.effects` (a port the executor implements over the
 * batch's transaction, and a test run implements without writing). So the step units live in
 * lib/journey beside their declarations while the database stays in lib/executor and db/.
 */

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

/** The one contact decision (lib/privacy/contact-check), as a handler sees it. */
export type StepContactDecision =
  | { allowed: true; reason: string }
  | {
      allowed: false;
      code: 'erased' | 'restricted' | 'unknown-purpose' | 'no-consent' | 'objected' | 'blocked';
      reason: string;
    };

export type ContactChannelName = 'email' | 'sms' | 'post' | 'phone';

/** The consent check and state reads, so a test run can assume consent without touching the ledger. */
export interface ConsentAccess {
  check(input: {
    purposeKey: string;
    themeKey?: string;
    channel?: ContactChannelName;
  }): Promise<StepContactDecision>;
  state(purposeKey: string, themeKey?: string): Promise<{ state: ConsentState; updatedAt?: Date }>;
}

export interface StepPurpose {
  id: number;
  key: string;
  name: string;
  legalBasis: string;
}

export interface StepCustomer {
  id: number;
  email: string | null;
  timeZone: string;
  attributes: Record<string, unknown>;
}

export interface StepEnrollment {
  id: number;
  journeyId: number;
  versionId: number;
  seq: number;
  context: Record<string, unknown>;
  testMode: boolean;
}

/** A mail the send step asks for; the executor writes it (keyed by enrollment and seq) with its batch. */
export interface MailIntent {
  purposeId: number | null;
  themeKey: string | null;
}

/**
 * A confirmation mail sent, or none needed (already granted); refused when one went out recently
 * (`rate_limited`) or the privacy module will not send one (no address, unknown purpose).
 */
export type OptInRequestOutcome = Result<{ kind: 'sent' | 'already-granted' }>;

export type BlockScopeName = 'all' | 'channel' | 'address' | 'theme' | 'sale-sharing';

/**
 * Effects a step may have, declared in its `effects` trait (define.ts). The executor applies them
 * in the batch's transaction: mail intents buffered and written in bulk, privacy calls in the
 * step's savepoint, file deletions after commit. A test run discards or describes them.
 */
export interface StepEffects {
  /** `queues-mail`: one marketing mail for this step (idempotent per enrollment and seq). */
  queueMail(intent: MailIntent): void;
  /** Marketing mail of the customer since `sinceMs`, counting mail this batch queued but has not written. */
  recentMailCount(sinceMs: number): Promise<number>;
  /** `writes-records`: asks the privacy module to send a confirmation mail (double opt-in). */
  requestDoubleOptIn(input: {
    purposeKey: string;
    themes: string[];
    expiresHours: number;
  }): Promise<OptInRequestOutcome>;
  /** `writes-records`: sets a contact block for the customer. */
  setContactBlock(input: {
    scope: BlockScopeName;
    channel?: ContactChannelName;
    themeKey?: string;
    address?: string;
    reason: 'customer-request' | 'complaint' | 'bounce' | 'legal';
    evidence: string;
  }): Promise<Result<undefined>>;
  /** Reads the customer's data package (Art. 15/20): its section names. */
  compileDataPackage(): Promise<string[]>;
  /** `writes-records`: an export with an expiring link, mailed to the customer. */
  mailExportLink(): Promise<void>;
  /** `writes-records`: delivers the data package to a named recipient (the privacy module checks consent). */
  transferToRecipient(input: {
    purposeKey: string;
    recipientKey: string;
  }): Promise<{ delivered: boolean; reason: string }>;
  /** `writes-records`: erases the customer everywhere; their export files go after the commit. */
  forgetCustomer(input: {
    notifyConnectedSystems: boolean;
  }): Promise<Result<{ restricted: boolean }, Failure>>;
  /** A read: the active block covering this target, if any (the contact check's own lookup). */
  activeBlock(target: {
    address: string | null;
    channel: string;
    themeKey?: string;
    saleSharing?: boolean;
  }): Promise<{ scope: string; reason: string } | undefined>;
}

export interface StepContext<Config, _Handle extends string = string> {
  node: { id: string };
  config: Config;
  enrollment: StepEnrollment;
  customer: StepCustomer;
  now: Date;
  /** When the enrollment reached this step; waits and timeouts count from here. */
  arrivedAt: Date;
  /** The step already ran for this enrollment and asked to wait; this is the wake-up or timeout. */
  resumed: boolean;
  consent: ConsentAccess;
  purpose(key: string): Promise<StepPurpose | undefined>;
  /** Facts for condition rules: attributes, consent states, and the named events. */
  facts(eventNames: string[]): Promise<ConditionFacts>;
  /**
   * The first of these outcomes this step recorded for the customer, in any enrollment and version
   * of the journey (a split's sticky assignment); undefined when it never did.
   */
  earlierOutcome(outcomes: readonly string[]): Promise<string | undefined>;
  /** Test mode: decide as for real, but no mail, consent change, erasure or file leaves the run. */
  simulated: boolean;
  effects: StepEffects;
}

export type StepHandler<Config, Handle extends string = string> = (
  ctx: StepContext<Config, Handle>,
) => StepResult<Handle> | Promise<StepResult<Handle>>;

export const HOUR_MS = 60 * 60 * 1000;
export const DAY_MS = 24 * HOUR_MS;
