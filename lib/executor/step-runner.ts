import type { Db } from '@/db/client';
import type { ConsentState } from '@/db/schema';
import type { EnrollmentRecord, Position } from '@/db/store/enrollments';
import {
  consentStatesOfCustomer,
  eventsOfCustomer,
  eventsOfCustomers,
  purposesByKey,
  type CustomerRuntime,
  type PurposeRuntime,
} from '@/db/store/journey-runtime';
import {
  nextNodeId,
  type ConditionFacts,
  type JourneyGraph,
  type JourneyNode,
  type StepType,
} from '@/lib/journey';
import {
  decideContact,
  type Awaitable,
  type ContactCheckInput,
  type ContactDecision,
} from '@/lib/privacy/contact-check';
import { BatchContactFacts } from './batch-contact-facts';
import { stepHandlers } from './handlers';
import type { BufferedWrites, ConsentAccess, StepContext, StepHandler, StepResult } from './types';

/**
 * Steps that never change consent, blocks or the customer: after them, a contact decision made
 * earlier in the same transaction still holds. Every other step clears the remembered decisions.
 */
const LEAVES_CONSENT_UNCHANGED: ReadonlySet<StepType> = new Set([
  'entry',
  'consent-gate',
  'advertising-block',
  'wait',
  'condition',
  'send-message',
  'reference',
  'exit',
]);

/**
 * Steps whose handlers only read: their one write is the step event, a single statement that is
 * atomic on its own, so the engine runs them without a savepoint of their own (measured: the
 * savepoint pair cost more than such a step).
 */
export const WRITES_ONLY_ITS_STEP_EVENT: ReadonlySet<StepType> = new Set([
  'entry',
  'consent-gate',
  'advertising-block',
  'wait',
  'condition',
  'exit',
]);

/** Per-transaction lookups shared by every step of a batch. */
export class StepEnvironment {
  private purposes: Map<string, PurposeRuntime> | undefined;
  /** Consent, block and customer facts for the claimed batch (falls back to the database). */
  private readonly contactFacts: BatchContactFacts;
  /** Contact decisions and consent reads per customer, valid inside this transaction until a step may change them. */
  private remembered = new Map<number, Map<string, unknown>>();
  /** The customers of the claimed batch (prefetch), whose condition events are read together. */
  private batchCustomers: ReadonlySet<number> | undefined;
  /** Condition events read for the whole batch: by event name, then customer. */
  private readonly batchEvents = new Map<string, Map<number, { name: string; occurredAt: Date }[]>>();

  /** Called after each step: a step that may change consent or blocks invalidates what was read. */
  afterStep(customerId: number, stepType: StepType): void {
    if (!LEAVES_CONSENT_UNCHANGED.has(stepType)) this.invalidate(customerId);
  }

  /** A failed step's savepoint was rolled back: what it read may no longer be true. */
  invalidate(customerId: number): void {
    this.remembered.delete(customerId);
    this.contactFacts.invalidate();
    this.batchEvents.clear();
    this.changedSincePrefetch = true;
  }

  /** Reads the contact facts of a claimed batch at once (inside the batch transaction). */
  async prefetch(customerIds: readonly number[], knownCustomers?: Iterable<CustomerRuntime>): Promise<void> {
    await this.contactFacts.prefetch(customerIds, knownCustomers);
    this.batchCustomers = new Set(customerIds);
    this.batchEvents.clear();
    this.changedSincePrefetch = false;
  }

  /**
   * Recent events of these names for a condition. Until a step may have changed other rows, the
   * first condition that asks for a name reads it for every customer of the batch in one query;
   * afterwards (changedSincePrefetch) each customer is read afresh, as it is now.
   */
  async events(customerId: number, names: string[]): Promise<{ name: string; occurredAt: Date }[]> {
    const batch = this.batchCustomers;
    if (this.changedSincePrefetch || !batch?.has(customerId))
      return await eventsOfCustomer(this.db, customerId, names);
    const missing = [...new Set(names.filter((name) => !this.batchEvents.has(name)))];
    if (missing.length > 0) {
      const read = await eventsOfCustomers(this.db, [...batch], missing);
      for (const name of missing) {
        const byCustomer = new Map<number, { name: string; occurredAt: Date }[]>();
        for (const [id, byName] of read) {
          const found = byName.get(name);
          if (found) byCustomer.set(id, found);
        }
        this.batchEvents.set(name, byCustomer);
      }
    }
    const found: { name: string; occurredAt: Date }[] = [];
    for (const name of names) {
      const events = this.batchEvents.get(name)?.get(customerId);
      if (events) for (const event of events) found.push(event);
    }
    return found;
  }

  /** True once a step may have changed consent, blocks or a customer since the batch's reads. */
  changedSincePrefetch = false;

  /** Set by the executor's batch: where steps hand their buffered rows (StepContext.writes). */
  writes: BufferedWrites | undefined;

  /** What this customer's earlier steps of the batch already asked (see CustomerConsent). */
  rememberedFor(customerId: number): Map<string, unknown> {
    let byKey = this.remembered.get(customerId);
    if (!byKey) {
      byKey = new Map();
      this.remembered.set(customerId, byKey);
    }
    return byKey;
  }

  constructor(
    readonly db: Db,
    readonly options: { simulated: boolean; assumeConsent?: boolean } = { simulated: false },
  ) {
    this.contactFacts = new BatchContactFacts(db);
  }

  /** The purpose of this key; a plain value once the batch has read the purposes. */
  purpose(key: string): Awaitable<PurposeRuntime | undefined> {
    if (this.purposes) return this.purposes.get(key);
    return this.readPurposes().then((purposes) => purposes.get(key));
  }

  private async readPurposes(): Promise<Map<string, PurposeRuntime>> {
    this.purposes ??= await purposesByKey(this.db);
    return this.purposes;
  }

  /** Every purpose as granted: what a test run that assumes consent sees in conditions. */
  async allGranted(): Promise<Record<string, 'granted'>> {
    const purposes = await this.readPurposes();
    return Object.fromEntries([...purposes.keys()].map((key) => [key, 'granted' as const]));
  }

  /** Purpose-level consent states by purpose key, for condition facts. */
  async consentStates(customerId: number): Promise<Record<string, ConsentState>> {
    const byId = this.contactFacts.purposeStatesOf(customerId);
    if (!byId) return await consentStatesOfCustomer(this.db, customerId);
    const purposes = this.purposes ?? (await this.readPurposes());
    const states: Record<string, ConsentState> = {};
    for (const purpose of purposes.values()) {
      const state = byId.get(purpose.id);
      if (state) states[purpose.key] = state;
    }
    return states;
  }

  consentFor(customerId: number, now: Date): ConsentAccess {
    const real = new CustomerConsent(this, customerId, now);
    return this.options.assumeConsent ? new AssumedConsent(real, now) : real;
  }

  /** The one contact decision, over the batch's facts. */
  decide(input: ContactCheckInput): Promise<ContactDecision> {
    return decideContact(this.contactFacts, input);
  }

  /** A plain value when the batch has the facts at hand (see decideContact on awaiting). */
  consentState(
    customerId: number,
    purposeKey: string,
    themeKey: string | undefined,
  ): Awaitable<{ state: ConsentState; updatedAt?: Date }> {
    const purpose = this.purpose(purposeKey);
    if (purpose instanceof Promise) {
      return purpose.then((found) =>
        found ? this.contactFacts.consent(customerId, found.id, themeKey ?? '') : { state: 'not-asked' },
      );
    }
    return purpose
      ? this.contactFacts.consent(customerId, purpose.id, themeKey ?? '')
      : { state: 'not-asked' };
  }
}

/**
 * The gate and the send step of one customer ask the same question within one transaction; the
 * answer is read once (the dispatcher asks again, fresh, at send time). Methods on a class rather
 * than closures per step: this object is made for every step the executor runs.
 */
class CustomerConsent implements ConsentAccess {
  constructor(
    private readonly env: StepEnvironment,
    private readonly customerId: number,
    private readonly now: Date,
  ) {}

  async check(input: Omit<ContactCheckInput, 'customerId' | 'now'>): Promise<ContactDecision> {
    const remembered = this.env.rememberedFor(this.customerId);
    const key = `check|${input.purposeKey}|${input.themeKey ?? ''}|${input.channel ?? 'email'}`;
    let decision = remembered.get(key) as ContactDecision | undefined;
    if (!decision) {
      decision = await this.env.decide({
        customerId: this.customerId,
        purposeKey: input.purposeKey,
        themeKey: input.themeKey,
        channel: input.channel,
        now: this.now,
      });
      remembered.set(key, decision);
    }
    return decision;
  }

  async state(purposeKey: string, themeKey?: string): Promise<{ state: ConsentState; updatedAt?: Date }> {
    const remembered = this.env.rememberedFor(this.customerId);
    const key = `state|${purposeKey}|${themeKey ?? ''}`;
    let state = remembered.get(key) as { state: ConsentState; updatedAt?: Date } | undefined;
    if (!state) {
      const read = this.env.consentState(this.customerId, purposeKey, themeKey);
      state = read instanceof Promise ? await read : read;
      remembered.set(key, state);
    }
    return state;
  }
}

/** Test mode "assume consent": a missing consent counts as given; blocks and erasure still count. */
class AssumedConsent implements ConsentAccess {
  constructor(
    private readonly real: ConsentAccess,
    private readonly now: Date,
  ) {}

  async check(input: Omit<ContactCheckInput, 'customerId' | 'now'>): Promise<ContactDecision> {
    const decision = await this.real.check(input);
    if (decision.allowed || decision.code !== 'no-consent') return decision;
    return { allowed: true, reason: 'allowed: consent assumed (test mode)' };
  }

  async state(purposeKey: string, themeKey?: string): Promise<{ state: ConsentState; updatedAt?: Date }> {
    const state = await this.real.state(purposeKey, themeKey);
    return state.state === 'granted' ? state : { state: 'granted', updatedAt: this.now };
  }
}

export function arrivedAtOf(enrollment: EnrollmentRecord): Date {
  const arrived = enrollment.context.arrivedAt;
  return new Date(typeof arrived === 'number' ? arrived : enrollment.enteredAt);
}

/**
 * Runs the node's handler; exhaustive over step types through the typed handler record. A
 * synchronous handler's result comes back as is (no promise: the engine awaits only pending ones).
 */
export function runStep(
  env: StepEnvironment,
  graph: JourneyGraph,
  node: JourneyNode,
  enrollment: EnrollmentRecord,
  customer: CustomerRuntime,
  now: Date,
  /** Receives work the step schedules for after its transaction commits. */
  afterCommitTasks: (() => void)[] = [],
): Awaitable<StepResult> {
  const ctx = new RunningStep(env, graph, node, enrollment, customer, now, afterCommitTasks);
  // The record is keyed by step type, so the handler fits the node; TypeScript cannot correlate the two unions.
  const handler = stepHandlers[node.type] as StepHandler<StepType>;
  return handler(ctx);
}

/** A step's context; a class so the per-step object carries no fresh closures (measured hot path). */
class RunningStep implements StepContext<StepType> {
  readonly db: Db;
  readonly config: JourneyNode['config'];
  readonly arrivedAt: Date;
  readonly resumed: boolean;
  readonly consent: ConsentAccess;
  readonly simulated: boolean;
  readonly writes: BufferedWrites | undefined;

  constructor(
    private readonly env: StepEnvironment,
    readonly graph: JourneyGraph,
    readonly node: JourneyNode,
    readonly enrollment: EnrollmentRecord,
    readonly customer: CustomerRuntime,
    readonly now: Date,
    private readonly afterCommitTasks: (() => void)[],
  ) {
    this.db = env.db;
    this.config = node.config;
    this.arrivedAt = arrivedAtOf(enrollment);
    this.resumed = enrollment.state === 'waiting';
    this.consent = env.consentFor(customer.id, now);
    this.simulated = env.options.simulated;
    this.writes = env.writes;
  }

  purpose(key: string): Promise<PurposeRuntime | undefined> {
    const purpose = this.env.purpose(key);
    return purpose instanceof Promise ? purpose : Promise.resolve(purpose);
  }

  afterCommit(task: () => void): void {
    this.afterCommitTasks.push(task);
  }

  async facts(eventNames: string[]): Promise<ConditionFacts> {
    return {
      attributes: this.customer.attributes,
      consents: this.env.options.assumeConsent
        ? await this.env.allGranted()
        : await this.env.consentStates(this.customer.id),
      events: await this.env.events(this.customer.id, eventNames),
      now: this.now,
    };
  }
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
  next: (nodeId: string, handle: string) => string | undefined = (nodeId, handle) =>
    nextNodeId(graph, nodeId, handle),
): Transition {
  // Object literals written out in full: spreading a shared "base" object here cost ~3 µs per
  // transition in V8 (measured), more than the rest of the step.
  const seq = enrollment.seq + 1;
  if ('outcome' in result) {
    const context = { ...enrollment.context, ...result.remember, arrivedAt: now };
    const target = next(node.id, result.outcome);
    if (target) {
      return {
        position: {
          seq,
          attempts: 0,
          lastError: null,
          nodeId: target,
          state: 'active',
          runAt: now,
          waitKey: null,
          context,
          endedAt: null,
        },
        outcome: result.outcome,
        reason: result.reason,
        countsAsExit: true,
      };
    }
    return {
      position: {
        seq,
        attempts: 0,
        lastError: null,
        nodeId: node.id,
        state: 'completed',
        runAt: now,
        waitKey: null,
        context,
        endedAt: now,
      },
      outcome: result.outcome,
      reason: `${result.reason}; nothing follows "${result.outcome}", so the journey ends here`,
      countsAsExit: true,
    };
  }
  if ('wait' in result) {
    const context = result.remember ? { ...enrollment.context, ...result.remember } : enrollment.context;
    return {
      position: {
        seq,
        attempts: 0,
        lastError: null,
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
      seq,
      attempts: 0,
      lastError: null,
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
