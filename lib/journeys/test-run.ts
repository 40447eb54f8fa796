import { findDraft, insertTestRun } from '@/db/store/journeys';
import { simulateJourney } from '@/lib/executor/simulate';
import { parseJourneyGraph } from '@/lib/journey';
import type { Actor, TestRunResult } from './service';

/**
 * Test mode: runs one chosen customer through the current draft on simulated time. The
 * executor's simulation rolls everything back, so no mail is sent and no consent changes.
 */
export async function runDraftTest(
  actor: Actor,
  journeyId: number,
  input: { customerId: number; startAt?: Date; assumeConsent?: boolean },
): Promise<TestRunResult> {
  const draft = await findDraft(journeyId);
  if (!draft) return { kind: 'not_found' };
  const parsed = parseJourneyGraph(draft.graph);
  if (!parsed.ok) {
    return {
      kind: 'blocked',
      errors: parsed.issues.map((issue) => ({
        code: 'invalid',
        message: `${issue.path}: ${issue.message}`,
        nodeId: issue.nodeId,
      })),
    };
  }
  let steps;
  try {
    ({ steps } = await simulateJourney(parsed.graph, input));
  } catch (error) {
    return {
      kind: 'blocked',
      errors: [
        { code: 'simulation', message: error instanceof Error ? error.message : 'The test run failed' },
      ],
    };
  }
  const runId = await insertTestRun({
    journeyId,
    createdBy: actor.id,
    trace: steps.map((step) => ({ ...step, at: step.at.toISOString() })),
  });
  return { kind: 'ran', runId, steps };
}
