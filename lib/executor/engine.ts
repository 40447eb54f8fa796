import { openDatabase, writeTransaction, type DbHandle } from '@/db/client';
import type { JourneyGraph, JourneyNode } from '@/lib/journey';
import {
  claimDueEnrollments,
  incrementNodeStats,
  nodeStatKey,
  type StepEventInput,
} from '@/db/store/enrollment-positions';
import { findLeasedEnrollment, type EnrollmentRecord } from '@/db/store/enrollment-records';
import { findCustomerRuntime, findCustomersRuntime, type CustomerRuntime } from '@/db/store/journey-runtime';
import { runStep, StepEnvironment, transitionFor, type Transition } from './step-runner';
import { flushBuffered, loadVersion, type BatchWork } from './batch-work';
import { recordHandlerFailure } from './failures';
import { BUFFERS_INTENTS, FLUSHES_BUFFERED_FIRST, RUNS_IN_SAVEPOINT } from './step-traits';
import { BufferedRows, type StepResult } from './types';
import { log } from '@/lib/config/log';
import { observeExecutorBatch } from '@/lib/operations/metrics';

export { MAX_ATTEMPTS } from './failures';

export interface EngineOptions {
  workerId: string;
  now?: () => number;
  batchSize?: number;
  leaseMs?: number;
  /** Steps one claim may run back to back (entry → gate → send …) before yielding the row. */
  maxStepsPerClaim?: number;
}

export interface BatchResult {
  claimed: number;
  transitions: number;
  failures: number;
}

/**
 * One round of the executor, in one transaction: claim due enrollments (UPDATE … RETURNING, with
 * SKIP LOCKED on PostgreSQL), run their steps, and write every new position, step event, outbox
 * row and stat. Side effects of a handler (consent requests, blocks, mail) live in the same
 * transaction, so a crash anywhere leaves either all of a batch or none of it, and the claim with
 * it. The lease keeps other workers off the rows while the batch runs; the lease + seq check
 * makes a claim that a goal or an erasure ended meanwhile skip instead of applying twice.
 */
export async function runExecutorBatch(
  options: EngineOptions,
  handle: DbHandle = openDatabase(),
): Promise<BatchResult> {
  const now = options.now?.() ?? Date.now();
  const started = performance.now();
  const afterCommit: (() => void)[] = [];
  const stepCounts = new Map<string, number>();
  let deadLetters = 0;
  const result = await writeTransaction(
    async (db) => {
      stepCounts.clear();
      const claimed = await claimDueEnrollments(db, {
        owner: options.workerId,
        now,
        leaseMs: options.leaseMs ?? 30_000,
        limit: options.batchSize ?? 200,
      });
      const result: BatchResult = { claimed: claimed.length, transitions: 0, failures: 0 };
      if (claimed.length === 0) return result;
      const env = new StepEnvironment(db);
      const rows = new BufferedRows();
      env.writes = rows;
      const batch: BatchWork = {
        env,
        rows,
        stats: new Map(),
        afterCommit,
        stepEvents: [],
        positions: new Map(),
        now,
        versions: new Map(),
        stepCounts,
        deadLetters: 0,
      };
      // Read once for the batch: the customers of the claimed rows and the facts the contact check needs.
      const customerIds = [...new Set(claimed.map((enrollment) => enrollment.customerId))];
      const customers = await findCustomersRuntime(db, customerIds);
      await batch.env.prefetch(customerIds, customers.values());
      for (const claim of claimed) {
        // A step that may change other rows (an erasure ends the customer's other enrollments, a
        // consent change wakes them) makes the batch's reads stale: from then on, read each row and
        // customer afresh, as they are now.
        const fresh = batch.env.changedSincePrefetch;
        const enrollment = fresh
          ? await findLeasedEnrollment(db, claim.id, options.workerId, claim.seq)
          : claim;
        if (!enrollment) continue;
        const customer = fresh
          ? await findCustomerRuntime(db, enrollment.customerId)
          : customers.get(enrollment.customerId);
        const outcome = await advanceEnrollment(
          batch,
          enrollment,
          customer,
          now,
          options.maxStepsPerClaim ?? 25,
        );
        result.transitions += outcome.transitions;
        if (outcome.failed) result.failures++;
      }
      await flushBuffered(batch);
      for (const [journeyId, counts] of batch.stats) await incrementNodeStats(db, journeyId, counts);
      deadLetters = batch.deadLetters;
      return result;
    },
    handle,
    LEASED,
  );
  if (result.claimed > 0)
    observeExecutorBatch(stepCounts, result.failures, deadLetters, (performance.now() - started) / 1000);
  for (const task of afterCommit) {
    try {
      task();
    } catch (error) {
      log().error({ err: error }, 'executor after-commit task failed');
    }
  }
  return result;
}

/**
 * Leases (SKIP LOCKED claims) and the seq check keep workers apart, so on PostgreSQL their
 * batches need not take the store-wide write lock and several workers commit at once.
 */
const LEASED = { serialized: false };

/**
 * Runs one enrollment forward until it waits, ends, fails, or used its step budget. A step that
 * writes more than buffered rows runs in a savepoint, so a throwing handler leaves no
 * half-written side effects behind.
 */
async function advanceEnrollment(
  batch: BatchWork,
  start: EnrollmentRecord,
  customer: CustomerRuntime | undefined,
  now: number,
  maxSteps: number,
): Promise<{ transitions: number; failed: boolean }> {
  const { env } = batch;
  const db = env.db;
  let enrollment = start;
  let transitions = 0;
  try {
    const version =
      batch.versions.get(enrollment.versionId) ?? (await loadVersion(batch, enrollment.versionId));
    while (transitions < maxSteps) {
      const node = version.nodesById.get(enrollment.nodeId);
      if (!node)
        throw new Error(`step ${enrollment.nodeId} is not in version ${version.number ?? version.versionId}`);
      if (FLUSHES_BUFFERED_FIRST.has(node.type)) await flushBuffered(batch);
      const stepTasks: (() => void)[] = [];
      // From the step's declared effects: a step that writes rows gets a savepoint; one that only
      // buffers intents (mail) has them dropped if it throws; a read-only step's one write is its
      // step event. A step whose handler answered synchronously is not awaited (each await is a
      // promise and a microtask, and this loop runs for every transition).
      const step = RUNS_IN_SAVEPOINT.has(node.type)
        ? inSavepointKeepingEvents(
            batch,
            version.graph,
            version.nextNodeId,
            node,
            enrollment,
            customer,
            now,
            stepTasks,
          )
        : BUFFERS_INTENTS.has(node.type)
          ? droppingBufferedOnError(
              batch,
              version.graph,
              version.nextNodeId,
              node,
              enrollment,
              customer,
              now,
              stepTasks,
            )
          : runOneStep(batch, version.graph, version.nextNodeId, node, enrollment, customer, now, stepTasks);
      const transition = step instanceof Promise ? await step : step;
      // Only a step whose savepoint committed may schedule work for after the batch commits.
      for (const task of stepTasks) batch.afterCommit.push(task);
      transitions++;
      batch.stepCounts.set(node.type, (batch.stepCounts.get(node.type) ?? 0) + 1);
      if (transition.countsAsExit) countStat(batch.stats, enrollment.journeyId, node.id, transition.outcome);
      enrollment = { ...enrollment, ...transition.position };
      if (enrollment.state !== 'active' || enrollment.runAt > now) break;
    }
    // Written with the batch's other positions (flushBuffered).
    batch.positions.set(enrollment.id, enrollment);
    return { transitions, failed: false };
  } catch (error) {
    // Steps that succeeded before the failing one stay applied; the failing one is retried.
    env.invalidate(enrollment.customerId);
    if (await recordHandlerFailure(db, enrollment, error, now)) batch.deadLetters++;
    return { transitions, failed: true };
  }
}

/**
 * One step: the handler's result, the transition it leads to, and its (buffered) step event. A
 * synchronous handler (entry, wait, exit …) makes this synchronous too.
 */
function runOneStep(
  batch: BatchWork,
  graph: JourneyGraph,
  nextNodeId: (nodeId: string, handle: string) => string | undefined,
  node: JourneyNode,
  enrollment: EnrollmentRecord,
  customer: CustomerRuntime | undefined,
  now: number,
  stepTasks: (() => void)[],
): Transition | Promise<Transition> {
  if (!customer || customer.status === 'erased') {
    const cancelled: StepResult = { end: 'cancelled', reason: 'stopped: the customer was erased' };
    return finishStep(batch, graph, nextNodeId, node, enrollment, now, cancelled);
  }
  const result = runStep(batch.env, node, enrollment, customer, new Date(now), stepTasks);
  return result instanceof Promise
    ? result.then((settled) => finishStep(batch, graph, nextNodeId, node, enrollment, now, settled))
    : finishStep(batch, graph, nextNodeId, node, enrollment, now, result);
}

function finishStep(
  batch: BatchWork,
  graph: JourneyGraph,
  nextNodeId: (nodeId: string, handle: string) => string | undefined,
  node: JourneyNode,
  enrollment: EnrollmentRecord,
  now: number,
  result: StepResult,
): Transition {
  batch.env.afterStep(enrollment.customerId, node.type);
  const next = transitionFor(graph, node, enrollment, result, now, nextNodeId);
  batch.stepEvents.push(stepEventOf(enrollment, node.id, node.type, next, now));
  return next;
}

/** Runs a step in a savepoint; if it rolls back, the rows it buffered go with it. */
async function inSavepointKeepingEvents(...step: Parameters<typeof runOneStep>): Promise<Transition> {
  const batch = step[0];
  const mark = markBuffered(batch);
  try {
    // A nested transaction is a SAVEPOINT.
    return await writeTransaction(async () => await runOneStep(...step), batch.env.db);
  } catch (error) {
    dropBufferedSince(batch, mark);
    throw error;
  }
}

/**
 * A step that only buffers intents (mail) and its step event needs no savepoint: if its handler
 * throws, dropping what it buffered undoes it.
 */
async function droppingBufferedOnError(...step: Parameters<typeof runOneStep>): Promise<Transition> {
  const batch = step[0];
  const mark = markBuffered(batch);
  try {
    return await runOneStep(...step);
  } catch (error) {
    dropBufferedSince(batch, mark);
    throw error;
  }
}

// Kept beside the steps that call them (once or more per step): small and hot.
type BufferMark = { events: number; mails: number };

function markBuffered(batch: BatchWork): BufferMark {
  return {
    events: batch.stepEvents.length,
    mails: batch.rows.mails.length,
  };
}

function dropBufferedSince(batch: BatchWork, mark: BufferMark) {
  batch.stepEvents.length = Math.min(batch.stepEvents.length, mark.events);
  batch.rows.mails.length = Math.min(batch.rows.mails.length, mark.mails);
}

function stepEventOf(
  enrollment: EnrollmentRecord,
  nodeId: string,
  stepType: string,
  transition: Transition,
  now: number,
): StepEventInput {
  return {
    enrollmentId: enrollment.id,
    seq: transition.position.seq,
    journeyId: enrollment.journeyId,
    versionId: enrollment.versionId,
    customerId: enrollment.customerId,
    nodeId,
    stepType,
    outcome: transition.outcome,
    reason: transition.reason,
    at: now,
  };
}

function countStat(
  stats: Map<number, Map<string, number>>,
  journeyId: number,
  nodeId: string,
  handle: string,
) {
  let counts = stats.get(journeyId);
  if (!counts) {
    counts = new Map();
    stats.set(journeyId, counts);
  }
  const key = nodeStatKey(nodeId, handle);
  counts.set(key, (counts.get(key) ?? 0) + 1);
}
