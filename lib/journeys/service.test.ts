import { describe, expect, it, beforeAll } from 'vitest';
import { useTempDatabase } from '@/tests/helpers/db';
import { upsertUser } from '@/db/store/users';
import { insertPurposes } from '@/db/store/workspace';
import { findDraft, findJourney, findVersion, listPublishedVersions } from '@/db/store/journeys';
import { listAudit } from '@/db/store/audit';
import { DEMO_PURPOSES } from '@/lib/demo/purposes';
import { sampleSimpleJourney, type JourneyDraft } from '@/lib/journey';
import {
  createJourney,
  duplicateJourney,
  parseDraftGraph,
  renameJourney,
  restoreVersion,
  saveDraft,
} from './service';
import { publishDraft } from './publish';

const database = useTempDatabase();
let actor: { id: number };

beforeAll(async () => {
  await insertPurposes(DEMO_PURPOSES);
  const { user } = await upsertUser({ email: 'm@example.com', role: 'marketer', passwordHash: 'x' });
  actor = { id: user.id };
});

async function newJourney(name = 'Test journey') {
  const journey = await createJourney(actor, name);
  if (!journey.ok) throw new Error('create failed');
  return journey.value;
}

describe('draft saving', () => {
  it('saves with the current revision and refuses a stale one without overwriting', async () => {
    const journey = await newJourney();
    const graph = sampleSimpleJourney('newsletter');
    const first = await saveDraft(actor, journey.id, { revision: 1, graph });
    expect(first).toMatchObject({ ok: true, value: { revision: 2 } });
    const stale = await saveDraft(actor, journey.id, { revision: 1, graph: { nodes: [], edges: [] } });
    expect(stale).toMatchObject({ ok: false, error: { code: 'conflict', details: { currentRevision: 2 } } });
    const draft = await findDraft(journey.id);
    expect(draft?.revision).toBe(2);
    expect((draft?.graph as JourneyDraft).nodes).toHaveLength(graph.nodes.length);
  });

  it('refuses a malformed graph, naming the step, and saves nothing', async () => {
    const journey = await newJourney();
    const graph = {
      nodes: [{ id: 'x1', type: 'teleport', position: { x: 0, y: 0 }, config: {} }],
      edges: [],
    };
    const result = await saveDraft(actor, journey.id, { revision: 1, graph });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'invalid_graph', details: { issues: [{ nodeId: 'x1' }] } },
    });
    expect((await findDraft(journey.id))?.revision).toBe(1);
  });

  it('refuses duplicate step ids and connections to missing steps', () => {
    const graph = sampleSimpleJourney('newsletter');
    const duplicated = parseDraftGraph({ ...graph, nodes: [...graph.nodes, graph.nodes[1]] });
    expect(duplicated.ok).toBe(false);
    if (!duplicated.ok) expect(duplicated.issues[0]).toMatchObject({ nodeId: 'gate', path: 'nodes[6].id' });
    const dangling = parseDraftGraph({
      ...graph,
      edges: [...graph.edges, { id: 'e', source: 'gate', sourceHandle: 'timed-out', target: 'ghost' }],
    });
    expect(dangling.ok).toBe(false);
  });

  it('accepts half-filled configs in a draft', () => {
    const result = parseDraftGraph({
      nodes: [{ id: 'send', type: 'send-message', position: { x: 0, y: 0 }, config: { purpose: '' } }],
      edges: [],
    });
    expect(result.ok).toBe(true);
  });
});

describe('publishing', () => {
  it('blocks a draft with errors and publishes nothing', async () => {
    const journey = await newJourney();
    const result = await publishDraft(actor, journey.id, {});
    expect(result).toMatchObject({ ok: false, error: { code: 'validation_failed' } });
    const errors = result.ok ? [] : (result.error.details?.errors as { nodeId?: string }[]);
    expect(errors.some((e) => e.nodeId === 'entry')).toBe(true);
    expect(await listPublishedVersions(journey.id)).toEqual([]);
  });

  it('needs a confirmation for warnings', async () => {
    const journey = await newJourney();
    const graph = sampleSimpleJourney('newsletter');
    // A send step without a consent gate before it is a warning, not an error.
    const withoutGate: JourneyDraft = {
      nodes: graph.nodes.filter((n) => n.id !== 'gate'),
      edges: [
        ...graph.edges.filter((e) => e.source !== 'gate' && e.target !== 'gate'),
        { id: 'entry-next-send', source: 'entry', sourceHandle: 'next', target: 'send' },
      ],
    };
    await saveDraft(actor, journey.id, { revision: 1, graph: withoutGate });
    const first = await publishDraft(actor, journey.id, {});
    expect(first).toMatchObject({ ok: false, error: { code: 'confirm_warnings' } });
    const confirmed = await publishDraft(actor, journey.id, { confirmWarnings: true });
    expect(confirmed.ok).toBe(true);
  });

  it('says there is nothing to publish when the draft behaves like the live version', async () => {
    const journey = await newJourney();
    const graph = sampleSimpleJourney('newsletter');
    await saveDraft(actor, journey.id, { revision: 1, graph });
    expect(await publishDraft(actor, journey.id, { revision: 2 })).toMatchObject({
      ok: true,
      value: { kind: 'published', number: 1 },
    });
    // Moving a step is no change in behaviour: no "Version 2: No changes".
    const moved = {
      ...graph,
      nodes: graph.nodes.map((n, i) => (i === 0 ? { ...n, position: { x: 999, y: 999 } } : n)),
    };
    await saveDraft(actor, journey.id, { revision: 2, graph: moved });
    expect(await publishDraft(actor, journey.id, { revision: 3 })).toMatchObject({
      ok: true,
      value: { kind: 'unchanged', number: 1 },
    });
    expect((await listPublishedVersions(journey.id)).map((v) => v.number)).toEqual([1]);
  });

  it('publishes immutable numbered versions with a change summary and can restore one', async () => {
    const journey = await newJourney();
    const graph = sampleSimpleJourney('newsletter');
    await saveDraft(actor, journey.id, { revision: 1, graph });
    const v1 = await publishDraft(actor, journey.id, { revision: 2 });
    expect(v1).toMatchObject({ ok: true, value: { number: 1, changeSummary: 'First version: 6 steps' } });
    expect((await findJourney(journey.id))?.status).toBe('live');

    const changed = {
      ...graph,
      nodes: graph.nodes.map((n) => (n.id === 'send' ? { ...n, title: 'Renamed' } : n)),
    };
    await saveDraft(actor, journey.id, { revision: 2, graph: changed });
    expect(await publishDraft(actor, journey.id, { revision: 2 })).toMatchObject({
      ok: false,
      error: { code: 'conflict', details: { currentRevision: 3 } },
    });
    const v2 = await publishDraft(actor, journey.id, { revision: 3 });
    expect(v2).toMatchObject({
      ok: true,
      value: { kind: 'published', number: 2, changeSummary: '1 step changed', status: 'live' },
    });

    const versions = await listPublishedVersions(journey.id);
    expect(versions.map((v) => [v.number, v.isLive])).toEqual([
      [2, true],
      [1, false],
    ]);
    // The database refuses to change a published version.
    await expect(
      database.run('update journey_versions set change_summary = ? where id = ?', 'x', versions[1].id),
    ).rejects.toThrow();

    const restored = await restoreVersion(actor, journey.id, versions[1].id);
    expect(restored).toEqual({ ok: true, value: { revision: 4 } });
    const draft = await findDraft(journey.id);
    expect((draft?.graph as JourneyDraft).nodes.find((n) => n.id === 'send')?.title).toBe('Hello');
    expect((await findVersion(journey.id, versions[0].id))?.changeSummary).toBe('1 step changed');
    const actions = (await listAudit({ targetType: 'journey', targetId: String(journey.id) })).map(
      (a) => a.action,
    );
    expect(actions).toEqual(expect.arrayContaining(['journey.create', 'journey.publish', 'journey.restore']));
  });
});

describe('journey list actions', () => {
  it('renames, refuses an empty name and duplicates the draft', async () => {
    const journey = await newJourney('Original');
    expect(await renameJourney(actor, journey.id, '  New   name ')).toMatchObject({
      ok: true,
      value: { name: 'New name' },
    });
    expect(await renameJourney(actor, journey.id, '   ')).toMatchObject({
      ok: false,
      error: { code: 'invalid_field', field: 'name' },
    });
    expect(await renameJourney(actor, 999_999, 'x')).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    const copy = await duplicateJourney(actor, journey.id);
    expect(copy).toMatchObject({ ok: true, value: { name: 'Copy of New name', status: 'draft' } });
    if (copy.ok)
      expect((await findDraft(copy.value.id))?.graph).toEqual((await findDraft(journey.id))?.graph);
  });
});

describe('creating from a starter template', () => {
  it('creates a draft holding the template built for the chosen consent purpose, which publishes', async () => {
    const created = await createJourney(actor, 'Welcome', { template: 'welcome', purpose: 'newsletter' });
    if (!created.ok) throw new Error(created.error.message);
    expect(created.value.status).toBe('draft');
    const graph = (await findDraft(created.value.id))?.graph as JourneyDraft;
    expect(graph.nodes.map((n) => n.type)).toContain('double-opt-in');
    expect(JSON.stringify(graph)).toContain('"purpose":"newsletter"');
    const published = await publishDraft(actor, created.value.id, { revision: 1 });
    expect(published.ok).toBe(true);
  });

  it('refuses an unknown template or a purpose that is missing or not based on consent, creating nothing', async () => {
    const before = (await listAudit()).length;
    expect(await createJourney(actor, 'X', { template: 'teleport' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_field', field: 'template' },
    });
    for (const purpose of [undefined, 'no-such-purpose', 'order-updates'])
      expect(await createJourney(actor, 'X', { template: 'win-back', purpose })).toMatchObject({
        ok: false,
        error: { code: 'invalid_field', field: 'purpose' },
      });
    expect((await listAudit()).length).toBe(before);
  });

  it('a privacy-request journey needs no purpose', async () => {
    const created = await createJourney(actor, 'Data requests', { template: 'privacy-request' });
    expect(created.ok).toBe(true);
  });
});
