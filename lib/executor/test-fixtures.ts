import { sqlGet, sqlRun, writeTransaction, type Db } from '@/db/client';
import { insertJourney, insertPublishedVersion, updateJourney } from '@/db/store/journeys';
import { insertPurposes } from '@/db/store/workspace';
import { DEMO_PURPOSES } from '@/lib/demo/purposes';
import type { JourneyGraph } from '@/lib/journey';
import { recordConsentEvent, type ConsentEventInput } from '@/lib/privacy/ledger';
import { runExecutorBatch } from './engine';

/** Workspace fixtures for executor tests, the crash test and the benchmark (real tables, no mocks). */

export async function seedDemoPurposes() {
  return insertPurposes(DEMO_PURPOSES);
}

/** One consent change through the real ledger, in a transaction of its own. */
export async function recordTestConsent(
  customerId: number,
  purposeKey: string,
  action: ConsentEventInput['action'] = 'grant',
  source: ConsentEventInput['source'] = 'staff',
): Promise<void> {
  await writeTransaction(
    async (db) =>
      await recordConsentEvent(db, { customerId, purposeKey, action, source, evidence: { test: true } }),
  );
}

/**
 * Inserts `count` customers quickly (one prepared statement, in the caller's transaction), with
 * optional purpose-level consent already granted. Consent is written straight into consent_state
 * here because the fixtures measure the executor, not the ledger (the handler tests use
 * recordConsentEvent).
 */
export async function insertFixtureCustomers(
  db: Db,
  count: number,
  options: { grantPurposeIds?: number[]; timeZone?: string; startIndex?: number; emailDomain?: string } = {},
): Promise<{ firstId: number; lastId: number }> {
  const insertCustomer = `INSERT INTO customers (email, name, locale, time_zone, attributes, status, created_at)
     VALUES (?, ?, 'en', ?, ?, 'active', ?) RETURNING id`;
  const insertState = `INSERT INTO consent_state (customer_id, purpose_id, theme_key, state, last_event_id, updated_at) VALUES (?, ?, '', 'granted', 0, ?)`;
  const now = Date.now();
  const start = options.startIndex ?? 0;
  let firstId = 0;
  let lastId = 0;
  for (let i = start; i < start + count; i++) {
    const { id } = (await sqlGet<{ id: number }>(db, insertCustomer, [
      `customer${i}@${options.emailDomain ?? 'example.test'}`,
      `Customer ${i}`,
      options.timeZone ?? 'UTC',
      JSON.stringify({ tier: i % 3 === 0 ? 'gold' : 'silver' }),
      now,
    ]))!;
    if (!firstId) firstId = id;
    lastId = id;
    for (const purposeId of options.grantPurposeIds ?? [])
      await sqlRun(db, insertState, [id, purposeId, now]);
  }
  return { firstId, lastId };
}

/** A live journey with one published version of `graph`. */
export async function publishFixtureJourney(
  db: Db,
  name: string,
  graph: JourneyGraph,
): Promise<{ journeyId: number; versionId: number }> {
  const journey = await insertJourney(db, { name, graph, authorId: null });
  const version = await insertPublishedVersion(db, {
    journeyId: journey.id,
    graph,
    authorId: null,
    changeSummary: 'fixture',
  });
  await updateJourney(db, journey.id, { status: 'live', liveVersionId: version.id }, null);
  return { journeyId: journey.id, versionId: version.id };
}

/** Runs executor rounds at a fixed clock until nothing is due; returns the transitions made. */
export async function runUntilIdle(now: number, workerId = 'test-worker'): Promise<number> {
  let transitions = 0;
  for (let round = 0; round < 1000; round++) {
    const batch = await runExecutorBatch({ workerId, now: () => now });
    transitions += batch.transitions;
    if (batch.claimed === 0) return transitions;
  }
  throw new Error('executor did not settle');
}

let edgeCounter = 0;

/**
 * entry (event "test-start") → the step under test → one exit per listed handle, so each test reads
 * which way the customer went from the exit they ended at.
 */
export function graphAround(
  step: JourneyGraph['nodes'][number],
  handles: string[],
  entryConfig?: Partial<EntryConfig>,
): JourneyGraph {
  const entry = {
    id: 'entry',
    type: 'entry' as const,
    position: { x: 0, y: 0 },
    config: {
      mode: 'event' as const,
      eventName: 'test-start',
      reentry: { policy: 'always' as const },
      goals: [],
      ...entryConfig,
    },
  };
  const exits = handles.map((handle) => ({
    id: `exit-${handle}`,
    type: 'exit' as const,
    position: { x: 0, y: 200 },
    config: { reason: handle },
  }));
  const edge = (source: string, sourceHandle: string, target: string) => ({
    id: `e${++edgeCounter}`,
    source,
    sourceHandle,
    target,
  });
  return {
    nodes: [entry, step, ...exits] as JourneyGraph['nodes'],
    edges: [
      edge('entry', 'next', step.id),
      ...handles.map((handle) => edge(step.id, handle, `exit-${handle}`)),
    ],
  };
}

type EntryConfig = Extract<JourneyGraph['nodes'][number], { type: 'entry' }>['config'];
