import { openSqlite, writeTransaction, type Db, type SqliteHandle } from '@/db/client';
import {
  claimDueEnrollmentsSync,
  findLeasedEnrollmentSync,
  incrementNodeStatsSync,
  insertStepEventSync,
  nodeStatKey,
  recordFailureSync,
  savePositionSync,
  type EnrollmentRecord,
} from '@/db/store/enrollments';
import { findCustomerRuntimeSync, loadPublishedVersionSync } from '@/db/store/journey-runtime';
import { runStep, StepEnvironment, transitionFor, type Transition } from './step-runner';

export const MAX_ATTEMPTS = 5;

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
 * One round of the executor: lease due enrollments in one short transaction, then run their steps
 * and commit every new position, step event, outbox row and stat in a second one. Side effects
 * of a handler (consent requests, blocks, mail) live in that same transaction, so a crash
 * anywhere leaves either all of a transition or none of it; the lease + seq check makes a batch
 * that lost its lease (or raced a goal/erasure) skip instead of applying twice.
 */
export function runExecutorBatch(options: EngineOptions, handle: SqliteHandle = openSqlite()): BatchResult {
  const now = options.now?.() ?? Date.now();
  const claimed = writeTransaction(
    (db) =>
      claimDueEnrollmentsSync(db, {
        owner: options.workerId,
        now,
        leaseMs: options.leaseMs ?? 30_000,
        limit: options.batchSize ?? 200,
      }),
    handle,
  );
  const result: BatchResult = { claimed: claimed.length, transitions: 0, failures: 0 };
  if (claimed.length === 0) return result;

  const afterCommit: (() => void)[] = [];
  writeTransaction((db) => {
    const env = new StepEnvironment(db);
    const stats = new Map<number, Map<string, number>>();
    // Nested inside the batch transaction, better-sqlite3 runs this as a SAVEPOINT.
    const inSavepoint = handle.sqlite.transaction((fn: () => Transition) => fn());
    for (const lease of claimed) {
      const enrollment = findLeasedEnrollmentSync(db, lease.id, options.workerId, lease.seq);
      if (!enrollment) continue;
      const outcome = advanceEnrollment(env, enrollment, now, options.maxStepsPerClaim ?? 25, stats, inSavepoint, afterCommit);
      result.transitions += outcome.transitions;
      if (outcome.failed) result.failures++;
    }
    for (const [journeyId, counts] of stats) incrementNodeStatsSync(db, journeyId, counts);
  }, handle);
  for (const task of afterCommit) {
    try {
      task();
    } catch (error) {
      console.error('executor after-commit task failed:', error instanceof Error ? error.message : error);
    }
  }
  return result;
}

/**
 * Runs one enrollment forward until it waits, ends, fails, or used its step budget. Each step runs
 * in a savepoint, so a throwing handler leaves no half-written side effects behind.
 */
function advanceEnrollment(
  env: StepEnvironment,
  start: EnrollmentRecord,
  now: number,
  maxSteps: number,
  stats: Map<number, Map<string, number>>,
  inSavepoint: (fn: () => Transition) => Transition,
  afterCommit: (() => void)[],
): { transitions: number; failed: boolean } {
  const db = env.db;
  let enrollment = start;
  let transitions = 0;
  try {
    const version = loadPublishedVersionSync(db, enrollment.versionId);
    if (!version) throw new Error(`journey version ${enrollment.versionId} is not published`);
    const customer = findCustomerRuntimeSync(db, enrollment.customerId);
    while (transitions < maxSteps) {
      const node = version.graph.nodes.find((candidate) => candidate.id === enrollment.nodeId);
      if (!node) throw new Error(`step ${enrollment.nodeId} is not in version ${version.number ?? version.versionId}`);
      const stepTasks: (() => void)[] = [];
      const transition = inSavepoint(() => {
        const result =
          !customer || customer.status === 'erased'
            ? ({ end: 'cancelled', reason: 'stopped: the customer was erased' } as const)
            : runStep(env, version.graph, node, enrollment, customer, new Date(now), (task) => stepTasks.push(task));
        env.afterStep(enrollment.customerId, node.type);
        const next = transitionFor(version.graph, node, enrollment, result, now);
        recordTransition(db, enrollment, node.id, node.type, next, now);
        return next;
      });
      // Only a step whose savepoint committed may schedule work for after the batch commits.
      afterCommit.push(...stepTasks);
      transitions++;
      if (transition.countsAsExit) countStat(stats, enrollment.journeyId, node.id, transition.outcome);
      enrollment = { ...enrollment, ...transition.position };
      if (enrollment.state !== 'active' || enrollment.runAt > now) break;
    }
    savePositionSync(db, enrollment.id, enrollment, now);
    return { transitions, failed: false };
  } catch (error) {
    // Steps that succeeded before the failing one stay applied; the failing one is retried.
    env.invalidate(enrollment.customerId);
    recordHandlerFailure(db, enrollment, error, now);
    return { transitions, failed: true };
  }
}

function recordTransition(db: Db, enrollment: EnrollmentRecord, nodeId: string, stepType: string, transition: Transition, now: number) {
  insertStepEventSync(db, {
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
  });
}

function countStat(stats: Map<number, Map<string, number>>, journeyId: number, nodeId: string, handle: string) {
  let counts = stats.get(journeyId);
  if (!counts) {
    counts = new Map();
    stats.set(journeyId, counts);
  }
  const key = nodeStatKey(nodeId, handle);
  counts.set(key, (counts.get(key) ?? 0) + 1);
}

/**
 * Retry with exponential backoff (2^attempts s); after MAX_ATTEMPTS the enrollment is dead-lettered
 * ('failed', with its error) until someone presses retry.
 */
function recordHandlerFailure(db: Db, enrollment: EnrollmentRecord, error: unknown, now: number) {
  const message = error instanceof Error ? error.message : String(error);
  const attempts = enrollment.attempts + 1;
  if (attempts < MAX_ATTEMPTS) {
    savePositionSync(db, enrollment.id, enrollment, now);
    recordFailureSync(db, enrollment.id, { attempts, runAt: now + 2 ** attempts * 1000, lastError: message, now });
    return;
  }
  const seq = enrollment.seq + 1;
  savePositionSync(db, enrollment.id, { ...enrollment, state: 'failed', seq, attempts, lastError: message, endedAt: null }, now);
  insertStepEventSync(db, {
    enrollmentId: enrollment.id,
    seq,
    journeyId: enrollment.journeyId,
    versionId: enrollment.versionId,
    customerId: enrollment.customerId,
    nodeId: enrollment.nodeId,
    stepType: 'error',
    outcome: 'failed',
    reason: `stopped after ${attempts} failed attempts: ${message.slice(0, 300)}`,
    at: now,
  });
}
