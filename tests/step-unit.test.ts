import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { writeTransaction } from '@/db/client';
import { upsertUser } from '@/db/store/users';
import { Palette } from '@/components/canvas/Palette';
import { simulateJourney } from '@/lib/executor/simulate';
import { insertFixtureCustomers, runUntilIdle, seedDemoPurposes } from '@/tests/fixtures/executor';
import {
  getAnyStep,
  journeyGraphSchema,
  parseJourneyGraph,
  STEP_TYPES,
  validateJourney,
  type JourneyGraph,
} from '@/lib/journey';
import { publishJourney } from '@/lib/journeys/lifecycle';
import { createJourney, saveDraft } from '@/lib/journeys/service';
import { useTempDatabase } from './helpers/db';

/**
 * A new step type is its folder plus one registry entry, and nothing else: this test adds the
 * fixture unit tests/fixtures/stamp-step (definition, handler) to the registry's list, exactly as
 * its entry in lib/journey/steps/registry.ts would, and follows it through the palette, the graph
 * schema, validation, publishing, the executor (its declared mail effect written with the
 * batch) and a test run.
 */
vi.mock('@/lib/journey/steps/registry', async (importOriginal) => {
  const original = await importOriginal<typeof import('@/lib/journey/steps/registry')>();
  const { stampStep } = await import('./fixtures/stamp-step');
  const { undeclaredStampStep } = await import('./fixtures/stamp-step/undeclared');
  return { STEP_UNITS: [...original.STEP_UNITS, stampStep, undeclaredStampStep] };
});

const database = useTempDatabase();
let actor: { id: number };

beforeAll(async () => {
  const purposes = await seedDemoPurposes();
  const newsletter = purposes.find((purpose) => purpose.key === 'newsletter');
  await writeTransaction(
    async (db) => await insertFixtureCustomers(db, 3, { grantPurposeIds: newsletter ? [newsletter.id] : [] }),
  );
  const { user } = await upsertUser({ email: 'stamp@example.com', role: 'marketer', passwordHash: 'x' });
  actor = { id: user.id };
});

const at = { x: 0, y: 0 };
function stampGraph(note: string, type = 'stamp'): JourneyGraph {
  return {
    nodes: [
      {
        id: 'entry',
        type: 'entry',
        position: at,
        config: {
          mode: 'segment',
          segment: { match: 'all', conditions: [] },
          reentry: { policy: 'never' },
          goals: [],
        },
      },
      // The registry gained the type at run time; the compiled union does not know it.
      { id: 'stamp', type, position: at, config: { note, purpose: 'newsletter' } },
      { id: 'done', type: 'exit', position: at, config: {} },
    ],
    edges: [
      { id: 'a', source: 'entry', sourceHandle: 'next', target: 'stamp' },
      { id: 'b', source: 'stamp', sourceHandle: 'stamped', target: 'done' },
    ],
  } as unknown as JourneyGraph;
}

describe('a new step type added as one unit', () => {
  it('is on the palette and in the graph schema', () => {
    expect(STEP_TYPES).toContain('stamp');
    const palette = renderToStaticMarkup(createElement(Palette, { disabled: false, onAdd: () => {} }));
    expect(palette).toContain('data-testid="palette-stamp"');
    expect(palette).toContain('Add Stamp: Stamps the customer with a note');
    expect(journeyGraphSchema.safeParse(stampGraph('hello')).success).toBe(true);
    const bad = parseJourneyGraph(stampGraph(''));
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.issues).toContainEqual(expect.objectContaining({ path: 'nodes[1].config.note' }));
  });

  it('is validated by its declaration: required output, purpose checked against the catalog', () => {
    const ok = validateJourney(stampGraph('hello'), {
      purposes: [{ key: 'newsletter', legalBasis: 'consent', themes: [], recipients: [] }],
    });
    expect(ok.errors).toEqual([]);
    const graph = stampGraph('hello');
    const unconnected = validateJourney({ ...graph, edges: graph.edges.slice(0, 1) });
    expect(unconnected.errors.map((issue) => issue.code)).toContain('unconnected-output');
    const unknown = validateJourney(stampGraph('hello'), { purposes: [] });
    expect(unknown.errors.map((issue) => issue.code)).toContain('unknown-purpose');
    expect(getAnyStep('stamp' as never).summarize({ note: 'hi', purpose: 'newsletter' })).toBe('Stamp “hi”');
  });

  it('is published and run by the executor, which writes the mail its handler asked for', async () => {
    const created = await createJourney(actor, 'Stamped');
    if (!created.ok) throw new Error('create failed');
    const journeyId = created.value.id;
    expect(await saveDraft(actor, journeyId, { revision: 1, graph: stampGraph('hello') })).toMatchObject({
      ok: true,
    });
    expect(await publishJourney(actor, journeyId, { confirmWarnings: true })).toMatchObject({
      ok: true,
      value: { enrolled: 3 },
    });
    await runUntilIdle(Date.now());

    const events = await database.all<{ reason: string; outcome: string }>(
      "SELECT reason, outcome FROM step_events WHERE journey_id = ? AND step_type = 'stamp'",
      journeyId,
    );
    expect(events).toHaveLength(3);
    expect(events.every((event) => event.outcome === 'stamped' && event.reason === 'stamped “hello”')).toBe(
      true,
    );
    const enrollments = await database.all<{ state: string; context: string | Record<string, unknown> }>(
      'SELECT state, context FROM enrollments WHERE journey_id = ?',
      journeyId,
    );
    expect(enrollments.map((row) => row.state)).toEqual(['completed', 'completed', 'completed']);
    for (const row of enrollments) {
      const context = typeof row.context === 'string' ? JSON.parse(row.context) : row.context;
      expect(context).toMatchObject({ stamp: 'hello' });
    }
    const mails = await database.all<{ idempotency_key: string }>(
      'SELECT idempotency_key FROM outbox WHERE enrollment_id IN (SELECT id FROM enrollments WHERE journey_id = ?)',
      journeyId,
    );
    expect(mails).toHaveLength(3);
  });

  it('runs in a test run, whose mail intents are discarded', async () => {
    const before = await database.get<{ n: number }>('SELECT count(*) AS n FROM outbox');
    const customer = await database.get<{ id: number }>('SELECT id FROM customers ORDER BY id LIMIT 1');
    const graph = journeyGraphSchema.parse(stampGraph('simulated'));
    const { steps } = await simulateJourney(graph, { customerId: Number(customer?.id) });
    expect(steps.map((step) => [step.stepType, step.outcome])).toEqual([
      ['entry', 'next'],
      ['stamp', 'stamped'],
      ['exit', 'completed'],
    ]);
    expect(await database.get<{ n: number }>('SELECT count(*) AS n FROM outbox')).toEqual(before);
  });

  it('may not use an effect it does not declare: the executor would not protect it', async () => {
    const created = await createJourney(actor, 'Undeclared');
    if (!created.ok) throw new Error('create failed');
    const journeyId = created.value.id;
    await saveDraft(actor, journeyId, { revision: 1, graph: stampGraph('hidden', 'undeclared-stamp') });
    expect(await publishJourney(actor, journeyId, { confirmWarnings: true })).toMatchObject({ ok: true });
    await runUntilIdle(Date.now());
    const enrollments = await database.all<{ last_error: string | null; node_id: string }>(
      'SELECT last_error, node_id FROM enrollments WHERE journey_id = ?',
      journeyId,
    );
    expect(enrollments).toHaveLength(3);
    for (const row of enrollments) {
      expect(row.node_id).toBe('stamp');
      expect(row.last_error).toContain('does not declare the effect queues-mail');
    }
    const mails = await database.get<{ n: number }>(
      'SELECT count(*) AS n FROM outbox WHERE enrollment_id IN (SELECT id FROM enrollments WHERE journey_id = ?)',
      journeyId,
    );
    expect(Number(mails?.n)).toBe(0);
  });
});
