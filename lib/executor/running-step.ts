import fs from 'node:fs';
import type { Db } from '@/db/client';
import type { EnrollmentRecord } from '@/db/store/enrollment-records';
import { firstOutcomeAtStep, type CustomerRuntime, type PurposeRuntime } from '@/db/store/journey-runtime';
import { countRecentMail, type NewOutboxEmail } from '@/db/store/outbox';
import {
  stepDefinitions,
  type ConditionFacts,
  type ConsentAccess,
  type JourneyNode,
  type MailIntent,
  type OptInRequestOutcome,
  type StepContext,
  type StepEffects,
  type StepHandler,
  type StepEffect,
  type StepResult,
} from '@/lib/journey';
import { ok } from '@/lib/result';
import type { JourneyMailRef } from '@/lib/outbox/journey-mail';
import { activeBlock } from '@/lib/privacy/contact-check';
import type { Awaitable } from '@/lib/privacy/contact-check';
import {
  compileDataPackage,
  createExport,
  forgetCustomer,
  queueExportLinkMail,
  requestDoubleOptIn,
  setContactBlock,
  transferToRecipient,
} from './privacy-port';
import type { StepEnvironment } from './step-runner';
import type { BufferedWrites } from './types';

export function arrivedAtOf(enrollment: EnrollmentRecord): Date {
  const arrived = enrollment.context.arrivedAt;
  return new Date(typeof arrived === 'number' ? arrived : enrollment.enteredAt);
}

/**
 * Runs the node's handler, found in the step registry. A synchronous handler's result comes back
 * as is (no promise: the engine awaits only pending ones).
 */
export function runStep(
  env: StepEnvironment,
  node: JourneyNode,
  enrollment: EnrollmentRecord,
  customer: CustomerRuntime,
  now: Date,
  /** Receives work the step schedules for after its transaction commits. */
  afterCommitTasks: (() => void)[] = [],
): Awaitable<StepResult> {
  const ctx = env.options.simulated
    ? new SimulatedStep(env, node, enrollment, customer, now, afterCommitTasks)
    : new RunningStep(env, node, enrollment, customer, now, afterCommitTasks);
  // The registry is keyed by step type, so the handler fits the node's config; TypeScript cannot
  // correlate the two unions.
  const handler = stepDefinitions[node.type].handler as StepHandler<unknown>;
  return handler(ctx);
}

/**
 * A step's context, and the executor's side of the effects port (StepEffects): reads and writes
 * in the batch's transaction, mail intents into the batch's buffer. One object per step, a class
 * so it carries no fresh closures (measured hot path).
 */
class RunningStep implements StepContext<unknown>, StepEffects {
  readonly config: unknown;
  readonly arrivedAt: Date;
  readonly resumed: boolean;
  readonly consent: ConsentAccess;
  readonly simulated: boolean;
  readonly effects: StepEffects = this;
  protected readonly db: Db;
  protected readonly writes: BufferedWrites;

  constructor(
    protected readonly env: StepEnvironment,
    readonly node: JourneyNode,
    readonly enrollment: EnrollmentRecord,
    readonly customer: CustomerRuntime,
    readonly now: Date,
    protected readonly afterCommitTasks: (() => void)[],
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

  /**
   * Reads committed step events only: a split's own outcome in this batch is not written yet, but
   * within one version the customer's stable point gives the same branch again anyway.
   */
  async earlierOutcome(outcomes: readonly string[]): Promise<string | undefined> {
    return await firstOutcomeAtStep(this.db, {
      customerId: this.customer.id,
      journeyId: this.enrollment.journeyId,
      nodeId: this.node.id,
      outcomes,
    });
  }

  // --- StepEffects ---

  /**
   * The engine runs a step as its declared effects say (savepoint, buffers written first, facts
   * re-read); an effect the step type did not declare would run unprotected, so it fails loudly.
   */
  protected declared(...effects: StepEffect[]): void {
    const declaredEffects = stepDefinitions[this.node.type].effects;
    for (const effect of effects) {
      if (!declaredEffects.includes(effect))
        throw new Error(`step type ${this.node.type} does not declare the effect ${effect}`);
    }
  }

  queueMail(intent: MailIntent): void {
    this.declared('queues-mail');
    const { enrollment } = this;
    // Rendered by the dispatcher when it sends (lib/outbox/journey-mail): the row names the step.
    const email: NewOutboxEmail = {
      idempotencyKey: `journey:${enrollment.id}:${enrollment.seq}`,
      category: 'marketing',
      customerId: this.customer.id,
      purposeId: intent.purposeId,
      themeKey: intent.themeKey,
      enrollmentId: enrollment.testMode && this.simulated ? null : enrollment.id,
      toAddress: null,
      subject: null,
      bodyText: null,
      bodyHtml: null,
      headers: null,
      payload: {
        journeyId: enrollment.journeyId,
        versionId: enrollment.versionId,
        nodeId: this.node.id,
      } satisfies JourneyMailRef,
      now: this.now.getTime(),
    };
    this.writes.mail(email);
  }

  async recentMailCount(sinceMs: number): Promise<number> {
    // Mail this batch queued for the customer but has not written yet counts too (created now).
    return (
      (await countRecentMail(this.db, this.customer.id, sinceMs)) + this.writes.queuedMailOf(this.customer.id)
    );
  }

  async requestDoubleOptIn(input: {
    purposeKey: string;
    themes: string[];
    expiresHours: number;
  }): Promise<OptInRequestOutcome> {
    this.declared('writes-records');
    return await requestDoubleOptIn(this.db, {
      customerId: this.customer.id,
      purposeKey: input.purposeKey,
      themes: input.themes,
      source: 'journey',
      expiresHours: input.expiresHours,
      enrollmentId: this.enrollment.id,
      evidence: { journeyId: this.enrollment.journeyId, nodeId: this.node.id },
    });
  }

  async setContactBlock(input: Parameters<StepEffects['setContactBlock']>[0]) {
    this.declared('writes-records');
    const result = await setContactBlock(this.db, {
      ...input,
      customerId: this.customer.id,
      setBy: `journey:${this.enrollment.journeyId}`,
      now: this.now,
    });
    return result.ok ? ok() : result;
  }

  async compileDataPackage(): Promise<string[]> {
    this.declared('reads-history');
    return Object.keys(await compileDataPackage(this.db, this.customer.id));
  }

  async mailExportLink(): Promise<void> {
    this.declared('writes-records', 'reads-history');
    const created = await createExport(this.db, this.customer.id, { now: this.now });
    await queueExportLinkMail(this.db, {
      customerId: this.customer.id,
      exportId: created.exportId,
      url: created.url,
      idempotencyKey: `journey:${this.enrollment.id}:${this.enrollment.seq}`,
      enrollmentId: this.enrollment.id,
      now: this.now,
    });
  }

  async transferToRecipient(input: { purposeKey: string; recipientKey: string }) {
    this.declared('writes-records', 'reads-history');
    return await transferToRecipient(this.db, this.customer.id, input);
  }

  async forgetCustomer(input: { notifyConnectedSystems: boolean }) {
    this.declared('writes-records', 'changes-contact-facts', 'reads-history');
    const result = await forgetCustomer(this.db, this.customer.id, {
      source: 'journey',
      actor: `journey:${this.enrollment.journeyId}`,
      notifyConnectedSystems: input.notifyConnectedSystems,
      enrollmentId: this.enrollment.id,
      now: this.now,
    });
    if (!result.ok) return result;
    const { filesToDelete, receipt } = result.value;
    // Files cannot roll back: they go only once the erasure committed.
    this.afterCommitTasks.push(() => {
      for (const file of filesToDelete) fs.rmSync(file, { force: true });
    });
    return ok({ restricted: receipt.outcome === 'restricted' });
  }

  async activeBlock(target: {
    address: string | null;
    channel: string;
    themeKey?: string;
    saleSharing?: boolean;
  }) {
    return await activeBlock(this.db, { customerId: this.customer.id, ...target });
  }
}

/**
 * Test mode's side of the effects port: the same reads, but every effect is discarded or only
 * described, so a test run writes nothing and needs no write transaction (lib/executor/simulate).
 * Mail intents stay in the run's buffer (frequency caps still count them) and are never written.
 */
class SimulatedStep extends RunningStep {
  override async requestDoubleOptIn(input: { purposeKey: string }): Promise<OptInRequestOutcome> {
    this.declared('writes-records');
    const current = await this.consent.state(input.purposeKey);
    return ok({ kind: current.state === 'granted' ? 'already-granted' : 'sent' });
  }

  override async setContactBlock() {
    this.declared('writes-records');
    return ok();
  }

  override async mailExportLink(): Promise<void> {
    this.declared('writes-records', 'reads-history');
  }

  override async transferToRecipient(input: { purposeKey: string; recipientKey: string }) {
    this.declared('writes-records', 'reads-history');
    const decision = await this.consent.check({ purposeKey: input.purposeKey });
    return decision.allowed
      ? { delivered: true, reason: `would deliver your data to ${input.recipientKey} (test mode)` }
      : { delivered: false, reason: `not delivered to ${input.recipientKey}: ${decision.reason}` };
  }

  override async forgetCustomer() {
    this.declared('writes-records', 'changes-contact-facts', 'reads-history');
    return ok({ restricted: false });
  }
}
