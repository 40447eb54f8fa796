import { beforeAll, describe, expect, it } from 'vitest';
import { sqlAll, sqlRun, writeTransaction } from '@/db/client';
import { findDraft, findJourney, findVersion } from '@/db/store/journeys';
import { upsertUser } from '@/db/store/users';
import { enrollCustomer } from '@/lib/executor/lifecycle';
import type { JourneyDraft } from '@/lib/journey';
import { dispatchDueOutbox } from '@/lib/outbox/dispatcher';
import { insertFixtureCustomers, runUntilIdle, seedDemoPurposes } from '@/tests/fixtures/executor';
import { useTempDatabase } from '@/tests/helpers/db';
import { declareWinner, liveExperimentResults } from './experiments';
import { publishJourney } from './lifecycle';
import { createJourney, saveDraft } from './service';

const database = useTempDatabase();
let actor: { id: number };
let newsletterId = 0;

beforeAll(async () => {
  const purposes = await seedDemoPurposes();
  newsletterId = purposes.find((purpose) => purpose.key === 'newsletter')!.id;
  const { user } = await upsertUser({ email: 'm@example.com', role: 'marketer', passwordHash: 'x' });
  actor = { id: user.id };
});

const at = { x: 0, y: 0 };
const graph: JourneyDraft = {
  nodes: [
    {
      id: 'entry',
      type: 'entry',
      position: at,
      config: {
        mode: 'event',
        eventName: 'test-start',
        reentry: { policy: 'always' },
        goals: [{ eventName: 'purchased' }],
      },
    },
    {
      id: 'split',
      type: 'split',
      title: 'Subject test',
      position: at,
      config: { weights: { branches: [50, 50], holdout: 20 } },
    },
    {
      id: 'send-a',
      type: 'send-message',
      position: at,
      config: { purpose: 'newsletter', channel: 'email', subject: 'Hello', body: 'Hi {{firstName}}' },
    },
    { id: 'exit', type: 'exit', position: at, config: {} },
  ],
  edges: [
    { id: 'e1', source: 'entry', sourceHandle: 'next', target: 'split' },
    { id: 'e2', source: 'split', sourceHandle: 'a', target: 'send-a' },
    { id: 'e3', source: 'split', sourceHandle: 'b', target: 'exit' },
    { id: 'e4', source: 'send-a', sourceHandle: 'sent', target: 'exit' },
  ],
};

async function query<T>(sql: string, ...params: unknown[]): Promise<T[]> {
  return (await sqlAll(database.handle().db, sql, params)) as T[];
}

describe('experiment results and declaring a winner', () => {
  it('counts customers, sent mail and goal conversions per branch, and a winner takes everyone', async () => {
    const created = await createJourney(actor, 'Experiment');
    if (!created.ok) throw new Error('create failed');
    const journeyId = created.value.id;
    expect((await saveDraft(actor, journeyId, { revision: 1, graph })).ok).toBe(true);
    const published = await publishJourney(actor, journeyId, { confirmWarnings: true });
    expect(published).toMatchObject({ ok: true, value: { kind: 'published' } });

    const { firstId, lastId } = await writeTransaction(
      async (db) => await insertFixtureCustomers(db, 120, { grantPurposeIds: [newsletterId] }),
    );
    for (let id = firstId; id <= lastId; id++) expect((await enrollCustomer(journeyId, id)).ok).toBe(true);
    await runUntilIdle(Date.now());
    for (let round = 0; round < 20; round++) {
      const dispatched = await dispatchDueOutbox({ workerId: 'test', limit: 500 });
      if (dispatched.sent + dispatched.retried + dispatched.failed + dispatched.cancelled === 0) break;
    }

    const assignments = await query<{ customer_id: number; outcome: string }>(
      `SELECT customer_id, outcome FROM step_events WHERE journey_id = ? AND node_id = 'split'`,
      journeyId,
    );
    const byArm = (outcome: string) =>
      assignments.filter((row) => row.outcome === outcome).map((r) => r.customer_id);
    const [a, b, held] = [byArm('a'), byArm('b'), byArm('exited')];
    expect(a.length + b.length + held.length).toBe(120);
    // Conversions: 8 of B and 2 of the holdout buy afterwards; one A customer bought before the split (no conversion).
    const buy = async (customerId: number, occurredAt: number) =>
      await sqlRun(
        database.handle().db,
        'INSERT INTO events (customer_id, name, properties, occurred_at, created_at) VALUES (?, ?, ?, ?, ?)',
        [customerId, 'purchased', '{}', occurredAt, Date.now()],
      );
    for (const id of b.slice(0, 8)) await buy(id, Date.now() + 1000);
    for (const id of held.slice(0, 2)) await buy(id, Date.now() + 1000);
    await buy(a[0], Date.now() - 60 * 60 * 1000);

    const [experiment] = (await liveExperimentResults(journeyId))!;
    expect(experiment).toMatchObject({ nodeId: 'split', title: 'Subject test', goalNames: ['purchased'] });
    expect(experiment.baselineLabel).toBe('Holdout');
    const arm = (id: string) => experiment.arms.find((row) => row.arm === id)!;
    expect(arm('a')).toMatchObject({
      customers: a.length,
      messagesSent: a.length,
      conversions: 0,
      share: '41.7 %',
    });
    expect(arm('b')).toMatchObject({ customers: b.length, messagesSent: 0, conversions: 8 });
    expect(arm('holdout')).toMatchObject({
      customers: held.length,
      messagesSent: 0,
      conversions: 2,
      baseline: true,
    });
    expect(arm('b').rate).toBeCloseTo(8 / b.length);
    expect(arm('b').comparison?.difference).toBeCloseTo(8 / b.length - 2 / held.length);
    expect(arm('b').comparison?.sentence).toMatch(/B and the holdout/);
    expect(arm('holdout').comparison).toBeUndefined();

    // New weights on the live journey (saved and published as a marketer does): a new version, and
    // the customers already assigned keep their arms; a newcomer follows the new weights.
    const reweighted: JourneyDraft = {
      ...graph,
      nodes: graph.nodes.map((node) =>
        node.id === 'split' ? { ...node, config: { weights: { branches: [10, 90], holdout: 20 } } } : node,
      ),
    };
    const draft = await findDraft(journeyId);
    expect((await saveDraft(actor, journeyId, { revision: draft!.revision, graph: reweighted })).ok).toBe(
      true,
    );
    const republished = await publishJourney(actor, journeyId, { confirmWarnings: true });
    expect(republished).toMatchObject({ ok: true, value: { kind: 'published', number: 2 } });
    if (!republished.ok || republished.value.kind !== 'published') return;
    const again = [...a.slice(0, 3), ...b.slice(0, 3), ...held.slice(0, 2)];
    for (const id of again) expect((await enrollCustomer(journeyId, id)).ok).toBe(true);
    await runUntilIdle(Date.now());
    const underNewWeights = await query<{ customer_id: number; outcome: string; reason: string }>(
      `SELECT customer_id, outcome, reason FROM step_events WHERE journey_id = ? AND node_id = 'split' AND version_id = ?`,
      journeyId,
      republished.value.versionId,
    );
    expect(underNewWeights).toHaveLength(again.length);
    const armOf = (id: number) => (a.includes(id) ? 'a' : b.includes(id) ? 'b' : 'exited');
    for (const row of underNewWeights) {
      expect(row.outcome).toBe(armOf(Number(row.customer_id)));
      expect(row.reason).toBe(
        {
          a: 'branch A, kept from the first assignment, now 8.3 % weight',
          b: 'branch B, kept from the first assignment, now 75 % weight',
          exited:
            'held out (holdout, kept from the first assignment, now 16.7 % weight): gets nothing from this journey',
        }[armOf(Number(row.customer_id))],
      );
    }
    const [reweightedResult] = (await liveExperimentResults(journeyId))!;
    expect(reweightedResult.arms.map((arm) => [arm.arm, arm.share, arm.customers])).toEqual([
      ['a', '8.3 %', a.length],
      ['b', '75 %', b.length],
      ['holdout', '16.7 %', held.length],
    ]);

    // Declaring a winner: refused for a branch the split lacks or a step that is no split.
    expect(await declareWinner(actor, journeyId, 'split', 'c')).toMatchObject({
      ok: false,
      error: { code: 'invalid_field', field: 'branch' },
    });
    expect(await declareWinner(actor, journeyId, 'send-a', 'a')).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    const declared = await declareWinner(actor, journeyId, 'split', 'b');
    expect(declared).toMatchObject({ ok: true, value: { kind: 'published', number: 3 } });
    if (!declared.ok) return;
    const live = await findVersion(journeyId, declared.value.versionId);
    const splitOf = (g: unknown) => (g as JourneyDraft).nodes.find((node) => node.id === 'split')?.config;
    expect(splitOf(live?.graph)).toMatchObject({ winner: 'b', weights: { branches: [10, 90], holdout: 20 } });
    expect(splitOf((await findDraft(journeyId))?.graph)).toMatchObject({ winner: 'b' });
    expect((await findJourney(journeyId))?.liveVersionId).toBe(declared.value.versionId);
    expect(await declareWinner(actor, journeyId, 'split', 'b')).toMatchObject({
      ok: true,
      value: { kind: 'unchanged' },
    });

    // Everyone entering now, held out or assigned A before, takes B.
    for (const id of [a[1], held[0]]) expect((await enrollCustomer(journeyId, id)).ok).toBe(true);
    await runUntilIdle(Date.now());
    const latest = await query<{ outcome: string; reason: string }>(
      `SELECT outcome, reason FROM step_events WHERE journey_id = ? AND node_id = 'split' AND version_id = ?`,
      journeyId,
      declared.value.versionId,
    );
    expect(latest).toEqual([
      { outcome: 'b', reason: 'branch B: declared the winner, everyone takes it' },
      { outcome: 'b', reason: 'branch B: declared the winner, everyone takes it' },
    ]);
    const [after] = (await liveExperimentResults(journeyId))!;
    expect(after.winner).toBe('b');
    // First assignments count: the re-entered customers stay in their original arms.
    expect(after.arms.find((row) => row.arm === 'a')?.customers).toBe(a.length);
    // A run through the executor and the dispatcher on a busy PostgreSQL can take longer than the default minute.
  }, 180_000);
});
