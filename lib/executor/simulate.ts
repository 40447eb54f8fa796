import { readTransaction, type Db } from '@/db/client';
import type { EnrollmentRecord } from '@/db/store/enrollment-records';
import { findCustomerRuntime } from '@/db/store/journey-runtime';
import type { JourneyGraph, StepType } from '@/lib/journey';
import { entryNodeOf } from './entry-rules';
import { runStep, StepEnvironment, transitionFor } from './step-runner';

export interface SimulatedStep {
  nodeId: string;
  stepType: StepType;
  outcome: string;
  reason: string;
  at: Date;
}

export interface SimulationOptions {
  customerId: number;
  startAt?: Date;
  /** Treat missing consent as given (blocks and erasure still count). */
  assumeConsent?: boolean;
}

const MAX_SIMULATED_STEPS = 200;

/**
 * Test mode: walks one real customer through a graph with the real handlers, on simulated time
 * (a wait jumps the clock to its end). The enrollment lives only in memory and the handlers'
 * effects are discarded or described (SimulatedStep in running-step.ts: no mail, consent request,
 * block, erasure or transfer), so the run reads in a read-only transaction and never holds the
 * write lock.
 */
export async function simulateJourney(
  graph: JourneyGraph,
  options: SimulationOptions,
): Promise<{ steps: SimulatedStep[] }> {
  const steps: SimulatedStep[] = [];
  const run = async (db: Db) => {
    const customer = await findCustomerRuntime(db, options.customerId);
    if (!customer) throw new Error(`no customer ${options.customerId}`);
    const entry = entryNodeOf(graph);
    if (!entry) throw new Error('the journey has no entry step');
    let now = (options.startAt ?? new Date()).getTime();
    let enrollment: EnrollmentRecord = {
      id: 0,
      journeyId: 0,
      versionId: 0,
      customerId: customer.id,
      nodeId: entry.id,
      state: 'active',
      waitKey: null,
      runAt: now,
      seq: 0,
      attempts: 0,
      lastError: null,
      leaseOwner: null,
      leaseExpiresAt: null,
      context: { entryReason: 'entered: test run', arrivedAt: now },
      testMode: true,
      enteredAt: now,
      endedAt: null,
    };
    const env = new StepEnvironment(db, { simulated: true, assumeConsent: options.assumeConsent });
    let lastWait: { nodeId: string; at: number } | undefined;

    for (let count = 0; count < MAX_SIMULATED_STEPS; count++) {
      const node = graph.nodes.find((candidate) => candidate.id === enrollment.nodeId);
      if (!node) throw new Error(`step ${enrollment.nodeId} is not in the graph`);
      const result = await runStep(env, node, enrollment, customer, new Date(now));
      env.afterStep(customer.id, node.type);
      const transition = transitionFor(graph, node, enrollment, result, now);
      steps.push({
        nodeId: node.id,
        stepType: node.type,
        outcome: transition.outcome,
        reason: transition.reason,
        at: new Date(now),
      });
      enrollment = { ...enrollment, ...transition.position };
      if (enrollment.state !== 'active' && enrollment.state !== 'waiting') break;
      if (enrollment.state === 'waiting') {
        // With consent assumed, a wait for consent is answered at once; a second wait on the same
        // step at the same moment means nothing changed, so the clock runs to the wait's end.
        const answeredNow =
          options.assumeConsent &&
          enrollment.waitKey?.startsWith('consent:') &&
          !(lastWait?.nodeId === node.id && lastWait.at === now);
        lastWait = { nodeId: node.id, at: now };
        if (!answeredNow) now = Math.max(now, enrollment.runAt);
      }
    }
  };
  await readTransaction(run);
  return { steps };
}
