import type { Db } from '@/db/client';
import type { EnrollmentRecord, Position } from '@/db/store/enrollments';
import {
  consentStatesOfCustomerSync,
  eventsOfCustomerSync,
  purposesByKeySync,
  type CustomerRuntime,
  type PurposeRuntime,
} from '@/db/store/journey-runtime';
import { nextNodeId, type JourneyGraph, type JourneyNode, type StepType } from '@/lib/journey';
import { checkContactAllowed, currentConsent } from '@/lib/privacy/contact-check';
import { stepHandlers } from './handlers';
import type { ConsentAccess, StepContext, StepHandler, StepResult } from './types';

/**
 * Steps that never change consent, blocks or the customer: after them, a contact decision made
 * earlier in the same transaction still holds. Every other step clears the remembered decisions.
 */
const LEAVES_CONSENT_UNCHANGED: ReadonlySet<StepType> = new Set(['entry', 'consent-gate', 'advertising-block', 'wait', 'condition', 'send-message', 'reference', 'exit']);

/** Per-transaction lookups shared by every step of a batch. */
export class StepEnvironment {
  private purposes: Map<string, PurposeRuntime> | undefined;
  /** Contact decisions and consent reads per customer, valid inside this transaction until a step may change them. */
  private remembered = new Map<number, Map<string, unknown>>();

  /** Called after each step: a step that may change consent or blocks invalidates what was read. */
  afterStep(customerId: number, stepType: StepType): void {
    if (!LEAVES_CONSENT_UNCHANGED.has(stepType)) this.remembered.delete(customerId);
  }

  /** A failed step's savepoint was rolled back: what it read may no longer be true. */
  invalidate(customerId: number): void {
    this.remembered.delete(customerId);
  }

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
  ) {}

  purpose(key: string): PurposeRuntime | undefined {
    this.purposes ??= purposesByKeySync(this.db);
    return this.purposes.get(key);
  }

  /** Every purpose as granted: what a test run that assumes consent sees in conditions. */
  allGranted(): Record<string, 'granted'> {
    this.purposes ??= purposesByKeySync(this.db);
    return Object.fromEntries([...this.purposes.keys()].map((key) => [key, 'granted' as const]));
  }

  consentFor(customerId: number, now: Date): ConsentAccess {
    const db = this.db;
    // The gate and the send step of one customer ask the same question within one transaction;
    // the answer is read once (the dispatcher asks again, fresh, at send time).
    const real: ConsentAccess = {
      check: (input) =>
        this.remember(customerId, `check|${input.purposeKey}|${input.themeKey ?? ''}|${input.channel ?? 'email'}`, () =>
          checkContactAllowed(db, { ...input, customerId, now }),
        ),
      state: (purposeKey, themeKey) =>
        this.remember(customerId, `state|${purposeKey}|${themeKey ?? ''}`, () => {
          const purpose = this.purpose(purposeKey);
          return purpose ? currentConsent(db, customerId, purpose.id, themeKey ?? '') : { state: 'not-asked' as const };
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
      consents: env.options.assumeConsent ? env.allGranted() : consentStatesOfCustomerSync(env.db, customer.id),
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
): Transition {
  const base = { seq: enrollment.seq + 1, attempts: 0, lastError: null };
  if ('outcome' in result) {
    const context = { ...enrollment.context, ...result.remember, arrivedAt: now };
    const next = nextNodeId(graph, node.id, result.outcome);
    if (next) {
      return {
        position: { ...base, nodeId: next, state: 'active', runAt: now, waitKey: null, context, endedAt: null },
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
