import { beforeAll, describe, expect, it } from 'vitest';
import { sqlAll, writeTransaction } from '@/db/client';
import { insertPublishedVersion, updateJourney } from '@/db/store/journeys';
import { armAt, assignmentPoint, type JourneyGraph, type SplitWeights } from '@/lib/journey';
import { useTempDatabase } from '@/tests/helpers/db';
import {
  graphAround,
  insertFixtureCustomers,
  publishFixtureJourney,
  runUntilIdle,
  seedDemoPurposes,
} from '@/tests/fixtures/executor';
import { enrollCustomer } from './lifecycle';

const database = useTempDatabase();

beforeAll(async () => {
  await seedDemoPurposes();
});

function splitGraph(weights: SplitWeights, handles = ['a', 'b']): JourneyGraph {
  return graphAround(
    { id: 'test-split', type: 'split', position: { x: 0, y: 100 }, config: { weights } },
    handles,
  );
}

async function customers(count: number, startIndex: number): Promise<number[]> {
  const { firstId, lastId } = await writeTransaction(
    async (db) => await insertFixtureCustomers(db, count, { startIndex }),
  );
  return Array.from({ length: lastId - firstId + 1 }, (_, i) => firstId + i);
}

interface SplitEvent {
  customer_id: number;
  outcome: string;
  reason: string;
  version_id: number;
}

async function splitEvents(journeyId: number): Promise<SplitEvent[]> {
  return (await sqlAll(
    database.handle().db,
    `SELECT customer_id, outcome, reason, version_id FROM step_events
      WHERE journey_id = ? AND node_id = 'test-split' ORDER BY id`,
    [journeyId],
  )) as SplitEvent[];
}

/** What the hash alone says for these weights (an arm, with the holdout recorded as "exited"). */
function expected(customerId: number, journeyId: number, weights: SplitWeights): string {
  const arm = armAt(assignmentPoint(customerId, journeyId, 'test-split'), weights);
  return arm === 'holdout' ? 'exited' : arm;
}

describe('split step in the executor', () => {
  it('assigns by weight with reasons, keeps branches on a re-run and keeps assignments under new weights', async () => {
    const first: SplitWeights = { branches: [60, 30], holdout: 10 };
    const { journeyId } = await writeTransaction(
      async (db) => await publishFixtureJourney(db, 'split', splitGraph(first)),
    );
    const ids = await customers(200, 0);
    for (const id of ids) expect((await enrollCustomer(journeyId, id)).ok).toBe(true);
    await runUntilIdle(Date.now());

    const firstRun = await splitEvents(journeyId);
    expect(firstRun).toHaveLength(ids.length);
    const assigned = new Map(firstRun.map((event) => [event.customer_id, event.outcome]));
    for (const event of firstRun) {
      expect(event.outcome).toBe(expected(event.customer_id, journeyId, first));
      if (event.outcome === 'a') expect(event.reason).toBe('branch A, 60 % weight');
      if (event.outcome === 'b') expect(event.reason).toBe('branch B, 30 % weight');
      if (event.outcome === 'exited')
        expect(event.reason).toBe('held out (holdout, 10 % weight): gets nothing from this journey');
    }
    expect(new Set(assigned.values())).toEqual(new Set(['a', 'b', 'exited']));
    // Holdout customers leave at the split; the others went on to their branch's exit.
    const ended = (await sqlAll(
      database.handle().db,
      `SELECT customer_id, node_id, state FROM enrollments WHERE journey_id = ?`,
      [journeyId],
    )) as { customer_id: number; node_id: string; state: string }[];
    for (const row of ended) {
      const outcome = assigned.get(row.customer_id);
      if (outcome === 'exited') expect(row).toMatchObject({ node_id: 'test-split', state: 'exited' });
      else expect(row.node_id).toBe(`exit-${outcome}`);
    }

    // A re-run (re-entry) lands every customer in the same arm.
    for (const id of ids) expect((await enrollCustomer(journeyId, id)).ok).toBe(true);
    await runUntilIdle(Date.now());
    const secondRun = (await splitEvents(journeyId)).slice(ids.length);
    expect(secondRun).toHaveLength(ids.length);
    for (const event of secondRun) expect(event.outcome).toBe(assigned.get(event.customer_id));

    // A new version with other weights and no holdout: earlier assignments stay (the holdout is gone,
    // so those customers are assigned afresh); new customers follow the new weights.
    const second: SplitWeights = { branches: [10, 90], holdout: 0 };
    const version = await writeTransaction(async (db) => {
      const row = await insertPublishedVersion(db, {
        journeyId,
        graph: splitGraph(second),
        authorId: null,
        changeSummary: 'weights',
      });
      await updateJourney(db, journeyId, { liveVersionId: row.id }, null);
      return row;
    });
    const newcomers = await customers(100, 200);
    for (const id of [...ids, ...newcomers]) expect((await enrollCustomer(journeyId, id)).ok).toBe(true);
    await runUntilIdle(Date.now());
    const thirdRun = (await splitEvents(journeyId)).slice(2 * ids.length);
    expect(thirdRun).toHaveLength(ids.length + newcomers.length);
    let kept = 0;
    let moved = 0;
    for (const event of thirdRun) {
      expect(event.version_id).toBe(version.id);
      const before = assigned.get(event.customer_id);
      if (before === 'a' || before === 'b') {
        expect(event.outcome).toBe(before);
        expect(event.reason).toBe(
          `branch ${before.toUpperCase()}, kept from the first assignment, now ${before === 'a' ? 10 : 90} % weight`,
        );
        if (before !== expected(event.customer_id, journeyId, second)) moved++;
        kept++;
      } else {
        expect(event.outcome).toBe(expected(event.customer_id, journeyId, second));
      }
    }
    expect(kept).toBeGreaterThan(150);
    // Some kept customers would have gone elsewhere under the new weights: the record, not the hash, kept them.
    expect(moved).toBeGreaterThan(0);
    // Hundreds of enrollments on a busy PostgreSQL take longer than the default minute.
  }, 180_000);

  it('sends everyone to a declared winner', async () => {
    const weights: SplitWeights = { branches: [50, 50], holdout: 20 };
    const graph = splitGraph(weights);
    const split = graph.nodes.find((node) => node.id === 'test-split');
    if (split?.type !== 'split') throw new Error('no split');
    split.config = { weights, winner: 'b' };
    const { journeyId } = await writeTransaction(
      async (db) => await publishFixtureJourney(db, 'winner', graph),
    );
    const ids = await customers(30, 1000);
    for (const id of ids) await enrollCustomer(journeyId, id);
    await runUntilIdle(Date.now());
    const events = await splitEvents(journeyId);
    expect(events).toHaveLength(30);
    for (const event of events) {
      expect(event.outcome).toBe('b');
      expect(event.reason).toBe('branch B: declared the winner, everyone takes it');
    }
  });
});
