import { findDraft } from '@/db/store/journeys';
import { insertTestRun } from '@/db/store/journey-test-runs';
import { simulateJourney } from '@/lib/executor/simulate';
import { parseJourneyGraph } from '@/lib/journey';
import type { Issue } from '@/lib/journey';
import { err, ok } from '@/lib/result';
import type { Actor, TestRunResult } from './service';

function cannotRun(errors: Issue[]) {
  return err('validation_failed', errors[0]?.message ?? 'The draft cannot run', { details: { errors } });
}

/**
 * Test mode: runs one chosen customer through the current draft on simulated time. The
 * executor's simulation discards every effect (read-only), so no mail is sent and no consent changes.
 */
export async function runDraftTest(
  actor: Actor,
  journeyId: number,
  input: { customerId: number; startAt?: Date; assumeConsent?: boolean },
): Promise<TestRunResult> {
  const draft = await findDraft(journeyId);
  if (!draft) return err('not_found', 'No such journey');
  const parsed = parseJourneyGraph(draft.graph);
  if (!parsed.ok) {
    return cannotRun(
      parsed.issues.map((issue) => ({
        code: 'invalid',
        message: `${issue.path}: ${issue.message}`,
        nodeId: issue.nodeId,
      })),
    );
  }
  let steps;
  try {
    ({ steps } = await simulateJourney(parsed.graph, input));
  } catch (error) {
    return cannotRun([
      { code: 'simulation', message: error instanceof Error ? error.message : 'The test run failed' },
    ]);
  }
  const runId = await insertTestRun({
    journeyId,
    createdBy: actor.id,
    trace: steps.map((step) => ({ ...step, at: step.at.toISOString() })),
  });
  return ok({ runId, steps });
}
