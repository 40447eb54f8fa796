import { writeTransaction } from '@/db/client';
import { unarchiveJourneyIn } from '@/db/store/journey-runtime';
import { findJourney, type JourneyRow } from '@/db/store/journeys';
import { archiveJourney, pauseJourney, resumeJourney } from '@/lib/executor/lifecycle';
import { onJourneyPublished } from '@/lib/executor/rollout';
import { crashPointForTests } from '@/lib/executor/crash-point';
import { publishDraft, type Published, type PublishResult, type Unchanged } from './publish';
import { recordStatusChange, type Actor, type StatusAction } from './service';
import { err, ok, type Failure, type Result } from '@/lib/result';

type PublishFailure = Extract<PublishResult, { ok: false }>['error'];
const NO_SUCH_JOURNEY = err('not_found', 'No such journey');

/**
 * Journey state changes the executor must act on. The service writes versions and audits;
 * the executor enrolls, moves, holds or stops customers.
 */
export async function publishJourney(
  actor: Actor,
  journeyId: number,
  options: { revision?: number; confirmWarnings?: boolean; moveRunning?: boolean },
): Promise<Result<(Published & { enrolled: number; moved: number }) | Unchanged, PublishFailure>> {
  const moveRunning = options.moveRunning ?? true;
  const result = await publishDraft(actor, journeyId, { ...options, moveRunning });
  if (!result.ok) return result;
  // Nothing was published: nobody moves and nobody enrolls.
  if (result.value.kind === 'unchanged') return ok(result.value);
  crashPointForTests('after-publish');
  // Customers already on their way follow the new version where their step still exists; the
  // target group enters. If this process dies meanwhile, a worker finishes the recorded rollout.
  const effect = await onJourneyPublished(journeyId, result.value.versionId, { moveRunning });
  return ok({ ...result.value, enrolled: effect.enrolled, moved: effect.moved });
}

export type StatusChangeResult = Result<JourneyRow, Failure<'not_found' | 'invalid_state'>>;

/**
 * Brings an archived journey back as a draft: its customers were stopped when it was archived, so
 * it starts from nobody and needs publishing again (a marketer archived the wrong one).
 */
async function unarchiveJourney(journeyId: number): Promise<Result<undefined, Failure<'invalid_state'>>> {
  return await writeTransaction(async (db) =>
    (await unarchiveJourneyIn(db, journeyId, Date.now()))
      ? ok()
      : err('invalid_state', 'Only an archived journey can be restored.'),
  );
}

const CONTROLS = {
  pause: pauseJourney,
  resume: resumeJourney,
  archive: archiveJourney,
  unarchive: unarchiveJourney,
} as const;

export async function setJourneyStatus(
  actor: Actor,
  journeyId: number,
  action: StatusAction,
): Promise<StatusChangeResult> {
  if (!(await findJourney(journeyId))) return NO_SUCH_JOURNEY;
  const outcome = await CONTROLS[action](journeyId);
  if (!outcome.ok) return outcome;
  const journey = await recordStatusChange(actor, journeyId, action);
  return journey ? ok(journey) : NO_SUCH_JOURNEY;
}
