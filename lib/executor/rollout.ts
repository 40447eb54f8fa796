import crypto from 'node:crypto';
import { openDatabase, writeTransaction, type Db, type DbHandle } from '@/db/client';
import { moveEnrollmentsToVersion } from '@/db/store/enrollments';
import { runningEnrollmentsPage, latestEnrollments } from '@/db/store/enrollment-records';
import { customerPage, findJourneyRuntime } from '@/db/store/journey-runtime';
import { loadPublishedVersion, type PublishedVersion } from '@/lib/versions/published';
import {
  abandonedRollouts,
  findRollout,
  finishRollout,
  saveRolloutProgress,
  startRollout,
  takeOverRollout,
  type RolloutRecord,
} from '@/db/store/rollouts';
import { describeConditionGroup } from '@/lib/journey';
import { enrollIn, ENTRY_PAGE, segmentMatches, yieldToEventLoop } from './enroll';
import { entryNodeOf } from './entry-rules';

/**
 * Rolling a published version out: move running customers to it (where their step still exists),
 * then, for a target-group entry, enroll everyone matching, a page per transaction. The publish
 * transaction records the rollout (journey_rollouts) with the version, so a version is never live
 * without its rollout on record; each page moves the rollout's cursor in its own transaction; a
 * process that dies mid-way stops renewing its lease, and a worker finishes the rollout from the
 * cursor (resumeAbandonedRollouts). No page is done twice: the cursor commits with the page.
 */

export interface PublishResult {
  enrolled: number;
  moved: number;
  left: number;
}

/**
 * A page takes well under this; a rollout not renewed for this long belongs to a dead process.
 * TARMO_ROLLOUT_LEASE_MS overrides it (tests).
 */
function rolloutLeaseMs(): number {
  const configured = Number(process.env.TARMO_ROLLOUT_LEASE_MS);
  return Number.isFinite(configured) && configured > 0 ? configured : 60_000;
}

/** This process's name on the rollouts it runs. */
const PROCESS_OWNER = `rollout-${process.pid}-${crypto.randomBytes(4).toString('hex')}`;

/** In the publish transaction: the version goes live together with its rollout on record. */
export async function recordRollout(
  db: Db,
  journeyId: number,
  versionId: number,
  options: { moveRunning: boolean; now?: number },
): Promise<void> {
  const now = options.now ?? Date.now();
  await startRollout(db, {
    journeyId,
    versionId,
    moveRunning: options.moveRunning,
    owner: PROCESS_OWNER,
    leaseUntil: now + rolloutLeaseMs(),
    now,
  });
}

/**
 * Runs the rollout the publish recorded (see recordRollout); without one (scripts, tests that
 * insert versions themselves) records it first.
 */
export async function onJourneyPublished(
  journeyId: number,
  versionId: number,
  options: { moveRunning: boolean },
): Promise<PublishResult> {
  const handle = openDatabase();
  const rollout = await writeTransaction(async (db) => {
    const recorded = await findRollout(db, journeyId);
    if (recorded?.versionId === versionId && recorded.leaseOwner === PROCESS_OWNER) return recorded;
    await recordRollout(db, journeyId, versionId, options);
    return await findRollout(db, journeyId);
  }, handle);
  if (!rollout) throw new Error(`rollout of journey ${journeyId} vanished`);
  return await runRollout(rollout, handle);
}

/**
 * The worker's part: finishes rollouts whose process died (lease expired), from their cursor.
 * Returns the journeys it finished.
 */
export async function resumeAbandonedRollouts(
  now = Date.now(),
  handle: DbHandle = openDatabase(),
): Promise<number[]> {
  const abandoned = await abandonedRollouts(handle.db, now);
  const finished: number[] = [];
  for (const rollout of abandoned) {
    const owner = `${PROCESS_OWNER}-resume`;
    const taken = await writeTransaction(
      async (db) => await takeOverRollout(db, rollout, owner, now, now + rolloutLeaseMs()),
      handle,
    );
    if (!taken) continue;
    await runRollout({ ...rollout, leaseOwner: owner }, handle);
    finished.push(rollout.journeyId);
  }
  return finished;
}

/** One page's work and the cursor after it, committed together; stops if the rollout is no longer ours. */
async function runRollout(start: RolloutRecord, handle: DbHandle): Promise<PublishResult> {
  const version = await loadPublishedVersion(handle.db, start.versionId);
  if (!version || version.journeyId !== start.journeyId)
    throw new Error(`version ${start.versionId} of journey ${start.journeyId} is not published`);
  const result: PublishResult = { enrolled: 0, moved: 0, left: 0 };
  let rollout = start;
  for (;;) {
    const next = await writeTransaction(async (db) => {
      const current = await findRollout(db, rollout.journeyId);
      // A newer publish replaced it, or another process took it over: not ours to continue.
      if (current?.versionId !== rollout.versionId || current.leaseOwner !== rollout.leaseOwner) return null;
      // An archived journey takes no one in any more.
      if ((await findJourneyRuntime(db, current.journeyId))?.status === 'archived') {
        await finishRollout(db, current);
        return 'done';
      }
      const page =
        current.phase === 'move'
          ? await movePage(db, version, current.afterId, result)
          : await enrollPage(db, version, current.afterId, result);
      const after: RolloutRecord | 'done' = page.done
        ? current.phase === 'move'
          ? { ...current, phase: 'enroll', afterId: 0 }
          : 'done'
        : { ...current, afterId: page.lastId };
      if (after === 'done') await finishRollout(db, current);
      else await saveRolloutProgress(db, after, Date.now() + rolloutLeaseMs());
      return after;
    }, handle);
    if (next === null || next === 'done') return result;
    rollout = next;
    await yieldToEventLoop();
  }
}

type Page = { done: boolean; lastId: number };

async function movePage(
  db: Db,
  version: PublishedVersion,
  afterId: number,
  result: PublishResult,
): Promise<Page> {
  const nodeIds = new Set(version.graph.nodes.map((node) => node.id));
  const running = await runningEnrollmentsPage(db, version.journeyId, afterId, ENTRY_PAGE);
  const others = running.filter((e) => e.versionId !== version.versionId);
  const movable = others.filter((e) => nodeIds.has(e.nodeId)).map((e) => e.id);
  await moveEnrollmentsToVersion(db, movable, version.versionId, Date.now());
  result.moved += movable.length;
  result.left += others.length - movable.length;
  return { done: running.length < ENTRY_PAGE, lastId: running.at(-1)?.id ?? afterId };
}

async function enrollPage(
  db: Db,
  version: PublishedVersion,
  afterId: number,
  result: PublishResult,
): Promise<Page> {
  const entry = entryNodeOf(version.graph);
  if (entry?.config.mode !== 'segment' || !entry.config.segment) return { done: true, lastId: afterId };
  const segment = entry.config.segment;
  const reason = `entered: matches the target group (${describeConditionGroup(segment)})`;
  const now = Date.now();
  const customers = await customerPage(db, afterId, ENTRY_PAGE);
  const matching = [];
  for (const customer of customers)
    if (await segmentMatches(db, segment, customer, now)) matching.push(customer);
  const previous = await latestEnrollments(
    db,
    version.journeyId,
    matching.map((customer) => customer.id),
  );
  for (const customer of matching) {
    if ((await enrollIn(db, version, customer.id, reason, now, { previous })).enrolled) result.enrolled++;
  }
  return { done: customers.length < ENTRY_PAGE, lastId: customers.at(-1)?.id ?? afterId };
}
