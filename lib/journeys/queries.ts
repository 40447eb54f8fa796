import { findVersion } from '@/db/store/journeys';

/**
 * What staff pages and staff routes read about journeys. Routes never read the store directly
 * (lint enforces it), so a rule about what a reader may see is written here once.
 */
export {
  findCustomerPath,
  findDraft,
  findJourney,
  journeyLiveStats,
  listCustomersAtNode,
  listJourneysWithCounts,
  listPublishedVersions,
  listPurposesWithThemes,
  listTestCustomers,
} from '@/db/store/journeys';

/** A published version of the journey; the draft row is never shown as a version. */
export async function findPublishedVersion(journeyId: number, versionId: number) {
  const version = await findVersion(journeyId, versionId);
  return version && !version.isDraft ? version : undefined;
}
