import { changeJourneyStatus, publishDraft, type Actor, type PublishResult, type StatusAction, type StatusChangeResult } from './service';

/**
 * Journey state changes that the executor must hear about. The service writes the version
 * and status; the executor then enrolls, moves or stops customers.
 */
export async function publishJourney(
  actor: Actor,
  journeyId: number,
  options: { revision?: number; confirmWarnings?: boolean; moveRunning?: boolean },
): Promise<PublishResult> {
  const result = await publishDraft(actor, journeyId, options);
  return result;
}

export async function setJourneyStatus(actor: Actor, journeyId: number, action: StatusAction): Promise<StatusChangeResult> {
  const result = await changeJourneyStatus(actor, journeyId, action);
  return result;
}
