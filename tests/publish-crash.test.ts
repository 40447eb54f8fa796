import { spawn } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeTransaction } from '@/db/client';
import { findJourney } from '@/db/store/journeys';
import { findRollout } from '@/db/store/rollouts';
import { upsertUser } from '@/db/store/users';
import { insertFixtureCustomers, seedDemoPurposes } from '@/tests/fixtures/executor';
import { sampleSimpleJourney } from '@/lib/journey';
import { createJourney, saveDraft } from '@/lib/journeys/service';
import { groupGone, signal, sleep, startWorker } from './helpers/executor-crash';
import { useTempDatabase } from './helpers/db';

/**
 * Publishing is resumable: a real publishing process SIGKILLed right after its version went live
 * (before the target group entered) leaves the rollout on record, and a real worker process
 * finishes it on its own, from where it stood, exactly once. Runs on SQLite, and on PostgreSQL
 * with TEST_STORE=postgres.
 */

const database = useTempDatabase();
const CUSTOMERS = 40;
let actor: { id: number };

beforeAll(async () => {
  const purposes = await seedDemoPurposes();
  const newsletter = purposes.find((purpose) => purpose.key === 'newsletter');
  if (!newsletter) throw new Error('no newsletter purpose');
  await writeTransaction(
    async (db) => await insertFixtureCustomers(db, CUSTOMERS, { grantPurposeIds: [newsletter.id] }),
  );
  const { user } = await upsertUser({ email: 'publisher@example.com', role: 'marketer', passwordHash: 'x' });
  actor = { id: user.id };
});

/** `node --import tsx` so the SIGKILL from the crash point ends the publishing process itself. */
function publishInChildProcess(journeyId: number, env: Record<string, string>) {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'tests/helpers/publish-child.ts', String(journeyId), String(actor.id)],
    { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => process.stderr.write(`[publisher] ${chunk.toString()}`));
  return new Promise<{ signal: NodeJS.Signals | null; code: number | null; output: string }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal, output })),
  );
}

async function enrolledCount(journeyId: number): Promise<number> {
  const row = await database.get<{ n: number }>(
    'SELECT count(*) AS n FROM enrollments WHERE journey_id = ?',
    journeyId,
  );
  return Number(row?.n ?? 0);
}

async function draftJourney(name: string): Promise<number> {
  const created = await createJourney(actor, name);
  if (!created.ok) throw new Error('create failed');
  const sample = sampleSimpleJourney('newsletter');
  const graph = {
    ...sample,
    nodes: sample.nodes.map((node) =>
      node.id === 'entry'
        ? {
            ...node,
            config: {
              mode: 'segment',
              segment: { match: 'all', conditions: [] },
              reentry: { policy: 'never' },
              goals: [],
            },
          }
        : node,
    ),
  };
  const saved = await saveDraft(actor, created.value.id, { revision: 1, graph });
  if (!saved.ok) throw new Error(`save failed: ${saved.error.message}`);
  return created.value.id;
}

describe('publishing killed between "live" and "target group enrolled"', () => {
  it('leaves the rollout on record, and a worker process finishes it on its own', async () => {
    const journeyId = await draftJourney('Crash after publish');
    const crashed = await publishInChildProcess(journeyId, {
      TARMO_TEST_CRASH_AT: 'after-publish',
      TARMO_ROLLOUT_LEASE_MS: '1500',
    });
    expect(crashed.signal).toBe('SIGKILL');

    // The version is live, nobody entered yet, and the unfinished rollout is on record.
    const journey = await findJourney(journeyId);
    expect(journey?.status).toBe('live');
    expect(journey?.liveVersionId).toBeTruthy();
    expect(await enrolledCount(journeyId)).toBe(0);
    const rollout = await findRollout(database.handle().db, journeyId);
    expect(rollout).toMatchObject({ versionId: journey?.liveVersionId, phase: 'move', afterId: 0 });

    // A real worker process, started afresh, finds the abandoned rollout once its lease ran out.
    const worker = startWorker('rollout-worker', { TARMO_ROLLOUT_LEASE_MS: '1500' });
    try {
      const deadline = Date.now() + 60_000;
      while (Date.now() < deadline) {
        if (
          (await enrolledCount(journeyId)) === CUSTOMERS &&
          !(await findRollout(database.handle().db, journeyId))
        )
          break;
        await sleep(100);
      }
    } finally {
      signal(worker, 'SIGTERM');
      await groupGone(worker);
    }
    expect(await findRollout(database.handle().db, journeyId)).toBeUndefined();
    // Everyone entered exactly once (re-entry "never"; one enrollment row per customer).
    expect(await enrolledCount(journeyId)).toBe(CUSTOMERS);
    const perCustomer = await database.get<{ n: number }>(
      'SELECT count(DISTINCT customer_id) AS n FROM enrollments WHERE journey_id = ?',
      journeyId,
    );
    expect(Number(perCustomer?.n)).toBe(CUSTOMERS);
  }, 120_000);

  it('a publish that is not interrupted finishes its own rollout and leaves none behind', async () => {
    const journeyId = await draftJourney('No crash');
    const finished = await publishInChildProcess(journeyId, {});
    expect(finished.code).toBe(0);
    expect(JSON.parse(finished.output)).toMatchObject({ ok: true, value: { enrolled: CUSTOMERS } });
    expect(await findRollout(database.handle().db, journeyId)).toBeUndefined();
    expect(await enrolledCount(journeyId)).toBe(CUSTOMERS);
  }, 60_000);
});
