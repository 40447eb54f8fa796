import { findVersion } from '@/db/store/journeys';

/**
 * What staff pages and staff routes read about journeys. Routes never read the store directly
 * (lint enforces it), so a rule about what a reader may see is written here once.
 */
export {
  findDraft,
  findJourney,
  listJourneysWithCounts,
  listPublishedVersions,
  listPurposesWithThemes,
} from '@/db/store/journeys';
export { findCustomerPath, journeyLiveStats, listCustomersAtNode } from '@/db/store/journey-live';
export { listTestCustomers } from '@/db/store/journey-test-runs';

/** A published version of the journey; the draft row is never shown as a version. */
export async function findPublishedVersion(journeyId: number, versionId: number) {
  const version = await findVersion(journeyId, versionId);
  return version && !version.isDraft ? version : undefined;
}
