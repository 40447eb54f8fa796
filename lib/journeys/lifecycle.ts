import { findJourney, type JourneyRow } from '@/db/store/journeys';
import { archiveJourney, onJourneyPublished, pauseJourney, resumeJourney } from '@/lib/executor/lifecycle';
import {
  publishDraft,
  recordStatusChange,
  type Actor,
  type PublishResult,
  type StatusAction,
} from './service';

/**
 * Journey state changes the executor must act on. The service writes versions and audits;
 * the executor enrolls, moves, holds or stops customers.
 */
export async function publishJourney(
  actor: Actor,
  journeyId: number,
  options: { revision?: number; confirmWarnings?: boolean; moveRunning?: boolean },
): Promise<PublishResult & { enrolled?: number; moved?: number }> {
  const result = await publishDraft(actor, journeyId, options);
  if (result.kind !== 'published') return result;
  // Customers already on their way follow the new version where their step still exists.
  const effect = await onJourneyPublished(journeyId, result.versionId, {
    moveRunning: options.moveRunning ?? true,
  });
  return { ...result, enrolled: effect.enrolled, moved: effect.moved };
}

export type StatusChangeResult =
  { kind: 'changed'; journey: JourneyRow } | { kind: 'refused'; message: string } | { kind: 'not_found' };

const CONTROLS = { pause: pauseJourney, resume: resumeJourney, archive: archiveJourney } as const;

export async function setJourneyStatus(
  actor: Actor,
  journeyId: number,
  action: StatusAction,
): Promise<StatusChangeResult> {
  if (!(await findJourney(journeyId))) return { kind: 'not_found' };
  const outcome = await CONTROLS[action](journeyId);
  if (!outcome.ok) return { kind: 'refused', message: outcome.reason };
  const journey = await recordStatusChange(actor, journeyId, action);
  return journey ? { kind: 'changed', journey } : { kind: 'not_found' };
}
