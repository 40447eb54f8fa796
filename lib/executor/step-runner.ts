import type { Db } from '@/db/client';
import type { ConsentState } from '@/db/schema';
import type { EnrollmentRecord, Position } from '@/db/store/enrollments';
import {
  consentStatesOfCustomerSync,
  eventsOfCustomerSync,
  purposesByKeySync,
  type CustomerRuntime,
  type PurposeRuntime,
} from '@/db/store/journey-runtime';
import { nextNodeId, type JourneyGraph, type JourneyNode, type StepType } from '@/lib/journey';
import { decideContact } from '@/lib/privacy/contact-check';
import { BatchContactFacts } from './batch-contact-facts';
import { stepHandlers } from './handlers';
import type { ConsentAccess, StepContext, StepHandler, StepResult } from './types';

/**
 * Steps that never change consent, blocks or the customer: after them, a contact decision made
 * earlier in the same transaction still holds. Every other step clears the remembered decisions.
 */
const LEAVES_CONSENT_UNCHANGED: ReadonlySet<StepType> = new Set(['entry', 'consent-gate', 'advertising-block', 'wait', 'condition', 'send-message', 'reference', 'exit']);

/**
 * Steps whose handlers only read: their one write is the step event, a single statement that is
 * atomic on its own, so the engine runs them without a savepoint of their own (measured: the
 * savepoint pair cost more than such a step).
 */
export const WRITES_ONLY_ITS_STEP_EVENT: ReadonlySet<StepType> = new Set(['entry', 'consent-gate', 'advertising-block', 'wait', 'condition', 'exit']);

/** Per-transaction lookups shared by every step of a batch. */
export class StepEnvironment {
  private purposes: Map<string, PurposeRuntime> | undefined;
  /** Consent, block and customer facts for the claimed batch (falls back to the database). */
  private readonly contactFacts: BatchContactFacts;
  /** Contact decisions and consent reads per customer, valid inside this transaction until a step may change them. */
  private remembered = new Map<number, Map<string, unknown>>();

  /** Called after each step: a step that may change consent or blocks invalidates what was read. */
  afterStep(customerId: number, stepType: StepType): void {
    if (!LEAVES_CONSENT_UNCHANGED.has(stepType)) this.invalidate(customerId);
  }

  /** A failed step's savepoint was rolled back: what it read may no longer be true. */
  invalidate(customerId: number): void {
    this.remembered.delete(customerId);
    this.contactFacts.invalidate();
    this.changedSincePrefetch = true;
  }

  /** Reads the contact facts of a claimed batch at once (inside the batch transaction). */
  prefetch(customerIds: readonly number[]): void {
    this.contactFacts.prefetch(customerIds);
    this.changedSincePrefetch = false;
  }

  /** True once a step may have changed consent, blocks or a customer since the batch's reads. */
  changedSincePrefetch = false;

  private remember<T>(customerId: number, key: string, read: () => T): T {
    let byKey = this.remembered.get(customerId);
    if (!byKey) {
      byKey = new Map();
      this.remembered.set(customerId, byKey);
    }
    if (!byKey.has(key)) byKey.set(key, read());
    return byKey.get(key) as T;
  }

  constructor(
    readonly db: Db,
    readonly options: { simulated: boolean; assumeConsent?: boolean } = { simulated: false },
  ) {
    this.contactFacts = new BatchContactFacts(db);
  }

  purpose(key: string): PurposeRuntime | undefined {
    this.purposes ??= purposesByKeySync(this.db);
    return this.purposes.get(key);
  }

  /** Every purpose as granted: what a test run that assumes consent sees in conditions. */
  allGranted(): Record<string, 'granted'> {
    this.purposes ??= purposesByKeySync(this.db);
    return Object.fromEntries([...this.purposes.keys()].map((key) => [key, 'granted' as const]));
  }

  /** Purpose-level consent states by purpose key, for condition facts. */
  consentStates(customerId: number): Record<string, ConsentState> {
    const byId = this.contactFacts.purposeStatesOf(customerId);
    if (!byId) return consentStatesOfCustomerSync(this.db, customerId);
    this.purposes ??= purposesByKeySync(this.db);
    const states: Record<string, ConsentState> = {};
    for (const purpose of this.purposes.values()) {
      const state = byId.get(purpose.id);
      if (state) states[purpose.key] = state;
    }
    return states;
  }

  consentFor(customerId: number, now: Date): ConsentAccess {
    // The gate and the send step of one customer ask the same question within one transaction;
    // the answer is read once (the dispatcher asks again, fresh, at send time).
    const real: ConsentAccess = {
      check: (input) =>
        this.remember(customerId, `check|${input.purposeKey}|${input.themeKey ?? ''}|${input.channel ?? 'email'}`, () =>
          decideContact(this.contactFacts, { ...input, customerId, now }),
        ),
      state: (purposeKey, themeKey) =>
        this.remember(customerId, `state|${purposeKey}|${themeKey ?? ''}`, () => {
          const purpose = this.purpose(purposeKey);
          return purpose ? this.contactFacts.consent(customerId, purpose.id, themeKey ?? '') : { state: 'not-asked' as const };
        }),
    };
    if (!this.options.assumeConsent) return real;
    // Test mode "assume consent": a missing consent counts as given; blocks and erasure still count.
    return {
      check: (input) => {
        const decision = real.check(input);
        if (decision.allowed || decision.code !== 'no-consent') return decision;
        return { allowed: true, reason: 'allowed: consent assumed (test mode)' };
      },
      state: (purposeKey, themeKey) => {
        const state = real.state(purposeKey, themeKey);
        return state.state === 'granted' ? state : { state: 'granted', updatedAt: now };
      },
    };
  }
}

export function arrivedAtOf(enrollment: EnrollmentRecord): Date {
  const arrived = enrollment.context.arrivedAt;
  return new Date(typeof arrived === 'number' ? arrived : enrollment.enteredAt);
}

/** Runs the node's handler; exhaustive over step types through the typed handler record. */
export function runStep(
  env: StepEnvironment,
  graph: JourneyGraph,
  node: JourneyNode,
  enrollment: EnrollmentRecord,
  customer: CustomerRuntime,
  now: Date,
  afterCommit: (task: () => void) => void = () => undefined,
): StepResult {
  const consent = env.consentFor(customer.id, now);
  const ctx: StepContext<StepType> = {
    db: env.db,
    graph,
    node,
    config: node.config,
    enrollment,
    customer,
    now,
    arrivedAt: arrivedAtOf(enrollment),
    resumed: enrollment.state === 'waiting',
    consent,
    purpose: (key) => env.purpose(key),
    facts: (eventNames) => ({
      attributes: customer.attributes,
      consents: env.options.assumeConsent ? env.allGranted() : env.consentStates(customer.id),
      events: eventsOfCustomerSync(env.db, customer.id, eventNames),
      now,
    }),
    simulated: env.options.simulated,
    afterCommit,
  };
  // The record is keyed by step type, so the handler fits the node; TypeScript cannot correlate the two unions.
  const handler = stepHandlers[node.type] as StepHandler<StepType>;
  return handler(ctx);
}

export interface Transition {
  position: Position;
  /** The handle (or end state / 'wait') recorded in the step event and node stats. */
  outcome: string;
  reason: string;
  countsAsExit: boolean;
}

/**
 * Where a result takes the enrollment. An output left unconnected (an optional one such as
 * "skipped") ends the journey as completed, and the reason says so.
 */
export function transitionFor(
  graph: JourneyGraph,
  node: JourneyNode,
  enrollment: EnrollmentRecord,
  result: StepResult,
  now: number,
  next: (nodeId: string, handle: string) => string | undefined = (nodeId, handle) => nextNodeId(graph, nodeId, handle),
): Transition {
  const base = { seq: enrollment.seq + 1, attempts: 0, lastError: null };
  if ('outcome' in result) {
    const context = { ...enrollment.context, ...result.remember, arrivedAt: now };
    const target = next(node.id, result.outcome);
    if (target) {
      return {
        position: { ...base, nodeId: target, state: 'active', runAt: now, waitKey: null, context, endedAt: null },
        outcome: result.outcome,
        reason: result.reason,
        countsAsExit: true,
      };
    }
    return {
      position: { ...base, nodeId: node.id, state: 'completed', runAt: now, waitKey: null, context, endedAt: now },
      outcome: result.outcome,
      reason: `${result.reason}; nothing follows "${result.outcome}", so the journey ends here`,
      countsAsExit: true,
    };
  }
  if ('wait' in result) {
    const context = result.remember ? { ...enrollment.context, ...result.remember } : enrollment.context;
    return {
      position: {
        ...base,
        nodeId: node.id,
        state: 'waiting',
        runAt: result.wait.until.getTime(),
        waitKey: result.wait.waitKey ?? null,
        context,
        endedAt: null,
      },
      outcome: 'wait',
      reason: result.reason,
      countsAsExit: false,
    };
  }
  return {
    position: {
      ...base,
      nodeId: node.id,
      state: result.end,
      runAt: now,
      waitKey: null,
      context: result.clearContext ? {} : enrollment.context,
      endedAt: now,
    },
    outcome: result.end,
    reason: result.reason,
    countsAsExit: true,
  };
}
