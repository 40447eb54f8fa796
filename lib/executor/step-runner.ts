import type { Db } from '@/db/client';
import type { ConsentState } from '@/lib/vocabulary';
import {
  consentStatesOfCustomer,
  eventsOfCustomer,
  eventsOfCustomers,
  purposesByKey,
  type CustomerRuntime,
  type PurposeRuntime,
} from '@/db/store/journey-runtime';
import type { StepType } from '@/lib/journey';
import {
  decideContact,
  type Awaitable,
  type ContactCheckInput,
  type ContactDecision,
} from '@/lib/privacy/contact-check';
import { BatchContactFacts } from '@/lib/privacy/batch-contact-facts';
import { CHANGES_CONTACT_FACTS } from './step-traits';
import { BufferedRows, type BufferedWrites, type ConsentAccess } from './types';

export { arrivedAtOf, runStep } from './running-step';
export { transitionFor, type Transition } from './transition';

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
    if (CHANGES_CONTACT_FACTS.has(stepType)) this.invalidate(customerId);
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

  /**
   * Where steps hand their mail intents. The executor's batch writes them together; a test run
   * never writes them (its intents are discarded).
   */
  writes: BufferedWrites = new BufferedRows();

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
