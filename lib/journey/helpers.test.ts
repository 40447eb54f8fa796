import { describe, expect, it } from 'vitest';
import {
  connectionAllowed,
  diffGraphs,
  entryNodes,
  findCycles,
  isBlankJourney,
  layoutInput,
  nextNodeId,
  reachableFrom,
  stepTitleIn,
  successors,
  upstreamNodes,
} from './helpers';
import { sampleSimpleJourney } from './samples';
import { draft, link, step } from '@/tests/fixtures/journey';

// entry → gate ─granted→ send ─sent→ exit
//           └─not-granted→ exit
const branching = draft(
  [step('entry', 'entry'), step('gate', 'consent-gate'), step('send', 'send-message'), step('exit', 'exit')],
  [
    link('entry', 'next', 'gate'),
    link('gate', 'granted', 'send'),
    link('gate', 'not-granted', 'exit'),
    link('send', 'sent', 'exit'),
  ],
);

describe('isBlankJourney', () => {
  it('is the entry step alone: any other step or a connection makes it a journey to check', () => {
    expect(isBlankJourney(draft([step('entry', 'entry')]))).toBe(true);
    expect(isBlankJourney(draft([step('entry', 'entry'), step('wait', 'wait')]))).toBe(false);
    expect(isBlankJourney(draft([step('exit', 'exit')]))).toBe(false);
    expect(isBlankJourney(draft([]))).toBe(false);
    expect(isBlankJourney(branching)).toBe(false);
  });
});

describe('successors and nextNodeId', () => {
  it('lists the distinct steps directly after a step', () => {
    expect(successors(branching, 'gate')).toEqual(['send', 'exit']);
    expect(successors(branching, 'exit')).toEqual([]);
  });

  it('follows one output handle, or says the journey ends there', () => {
    expect(nextNodeId(branching, 'gate', 'granted')).toBe('send');
    expect(nextNodeId(branching, 'gate', 'timed-out')).toBeUndefined();
  });
});

describe('reachableFrom and upstreamNodes', () => {
  it('includes the start step and everything after it', () => {
    expect(reachableFrom(branching, 'gate')).toEqual(new Set(['gate', 'send', 'exit']));
    expect(reachableFrom(branching, 'missing')).toEqual(new Set());
  });

  it('ignores edges that lead to missing steps', () => {
    const graph = draft([step('a', 'wait')], [link('a', 'next', 'ghost')]);
    expect(reachableFrom(graph, 'a')).toEqual(new Set(['a']));
  });

  it('lists every step before a step, not the step itself', () => {
    expect(upstreamNodes(branching, 'exit')).toEqual(new Set(['entry', 'gate', 'send']));
    expect(upstreamNodes(branching, 'entry')).toEqual(new Set());
  });

  it('includes the step itself when it loops back to itself', () => {
    const loop = draft(
      [step('a', 'wait'), step('b', 'wait')],
      [link('a', 'next', 'b'), link('b', 'next', 'a')],
    );
    expect(upstreamNodes(loop, 'a')).toEqual(new Set(['a', 'b']));
  });
});

describe('entryNodes', () => {
  it('returns the entry steps', () => {
    expect(entryNodes(branching).map((node) => node.id)).toEqual(['entry']);
  });
});

describe('findCycles', () => {
  it('finds no cycle in a tree', () => {
    expect(findCycles(branching)).toEqual([]);
  });

  it('returns each loop as a path that closes on its first step', () => {
    const graph = draft(
      [
        step('entry', 'entry'),
        step('a', 'condition'),
        step('b', 'wait'),
        step('c', 'wait'),
        step('exit', 'exit'),
      ],
      [
        link('entry', 'next', 'a'),
        link('a', 'yes', 'b'),
        link('b', 'next', 'c'),
        link('c', 'next', 'a'),
        link('a', 'no', 'exit'),
      ],
    );
    const cycles = findCycles(graph);
    expect(cycles).toHaveLength(1);
    const [cycle] = cycles;
    expect(new Set(cycle)).toEqual(new Set(['a', 'b', 'c']));
    // consecutive steps (and last → first) are joined by an edge
    cycle.forEach((id, i) => expect(successors(graph, id)).toContain(cycle[(i + 1) % cycle.length]));
  });

  it('reports a self-loop', () => {
    expect(findCycles(draft([step('w', 'wait')], [link('w', 'next', 'w')]))).toEqual([['w']]);
  });

  it('reports separate loops separately', () => {
    const graph = draft(
      [step('a', 'wait'), step('b', 'wait'), step('c', 'wait'), step('d', 'wait')],
      [link('a', 'next', 'b'), link('b', 'next', 'a'), link('c', 'next', 'd'), link('d', 'next', 'c')],
    );
    expect(findCycles(graph).map((cycle) => [...cycle].sort())).toEqual(
      expect.arrayContaining([
        ['a', 'b'],
        ['c', 'd'],
      ]),
    );
  });

  it('copes with a 5000-step chain without overflowing the stack', () => {
    const nodes = Array.from({ length: 5000 }, (_, i) => step(`n${i}`, 'wait'));
    const edges = nodes.slice(1).map((node, i) => link(`n${i}`, 'next', node.id));
    edges.push(link('n4999', 'next', 'n0'));
    expect(findCycles(draft(nodes, edges))[0]).toHaveLength(5000);
  });
});

describe('connectionAllowed', () => {
  const graph = draft(
    [
      step('entry', 'entry'),
      step('gate', 'consent-gate'),
      step('send', 'send-message'),
      step('forget', 'forget'),
      step('exit', 'exit'),
    ],
    [link('entry', 'next', 'gate'), link('gate', 'granted', 'send')],
  );
  const check = (source: string, sourceHandle: string, target: string) =>
    connectionAllowed(graph, { source, sourceHandle, target });

  it('allows connecting a free output to another step', () => {
    expect(check('gate', 'not-granted', 'exit')).toEqual({ ok: true });
    expect(check('send', 'sent', 'forget')).toEqual({ ok: true });
  });

  it('refuses a step leading to itself', () => {
    expect(check('send', 'sent', 'send')).toMatchObject({ ok: false, code: 'self-loop' });
  });

  it('refuses an output the step does not have', () => {
    expect(check('send', 'granted', 'exit')).toMatchObject({ ok: false, code: 'unknown-handle' });
  });

  it('refuses a second connection from the same output', () => {
    expect(check('gate', 'granted', 'exit')).toMatchObject({ ok: false, code: 'handle-in-use' });
  });

  it('refuses connections into the entry', () => {
    expect(check('send', 'sent', 'entry')).toMatchObject({ ok: false, code: 'target-is-entry' });
  });

  it('refuses anything after forget or exit', () => {
    expect(check('forget', 'next', 'exit')).toMatchObject({ ok: false, code: 'terminal-source' });
    expect(check('exit', 'next', 'send')).toMatchObject({ ok: false, code: 'terminal-source' });
  });

  it('refuses steps that do not exist, with a reason to show', () => {
    const result = check('ghost', 'next', 'exit');
    expect(result).toMatchObject({ ok: false, code: 'unknown-node' });
    expect(!result.ok && result.reason.length).toBeGreaterThan(0);
  });
});

describe('diffGraphs', () => {
  const before = sampleSimpleJourney('newsletter');

  it('says when nothing changed, even if steps moved or keys were reordered', () => {
    const after = structuredClone(before);
    after.nodes[0].position = { x: 999, y: 999 };
    const wait = after.nodes[3];
    wait.config = { minutes: 0, mode: 'duration' };
    expect(diffGraphs(before, after)).toEqual({ added: [], removed: [], changed: [], summary: 'No changes' });
  });

  it('lists added, removed and changed steps with a human summary', () => {
    const after = structuredClone(before);
    after.nodes = after.nodes.filter((node) => node.id !== 'wait');
    after.edges = after.edges.filter((edge) => edge.source !== 'wait' && edge.target !== 'wait');
    after.nodes.push(
      { id: 'w2', type: 'wait', position: { x: 0, y: 0 }, config: { mode: 'duration', minutes: 60 } },
      { id: 'w3', type: 'wait', position: { x: 0, y: 0 }, config: { mode: 'duration', minutes: 60 } },
    );
    after.edges.push(link('send', 'sent', 'w2'), link('w2', 'next', 'w3'), link('w3', 'next', 'opened'));
    after.edges = after.edges.filter((edge) => !(edge.source === 'send' && edge.target === 'wait'));
    const diff = diffGraphs(before, after);
    expect(diff.added).toEqual(['w2', 'w3']);
    expect(diff.removed).toEqual(['wait']);
    expect(diff.changed).toEqual(['send']); // rewired
    expect(diff.summary).toBe('2 steps added, 1 removed, 1 changed');
  });

  it('counts a config edit as a change', () => {
    const after = structuredClone(before);
    after.nodes[5].title = 'Goodbye';
    expect(diffGraphs(before, after)).toMatchObject({ changed: ['exit'], summary: '1 step changed' });
  });
});

describe('layoutInput', () => {
  it('gives every step a size and keeps only edges between existing steps', () => {
    const graph = draft(
      [step('a', 'consent-gate'), step('b', 'exit')],
      [link('a', 'granted', 'b'), link('a', 'timed-out', 'ghost')],
    );
    const input = layoutInput(graph);
    expect(input.nodes.map((node) => node.id)).toEqual(['a', 'b']);
    for (const node of input.nodes) {
      expect(node.width).toBeGreaterThan(0);
      expect(node.height).toBeGreaterThan(0);
    }
    expect(input.edges).toEqual([{ id: 'a.granted->b', source: 'a', target: 'b', sourceHandle: 'granted' }]);
  });
});

describe('freePositionNear', () => {
  it('keeps the start when nothing is there and steps aside when a step covers it', async () => {
    const { freePositionNear, nodeSize } = await import('./helpers');
    expect(freePositionNear([], 'wait', { x: 10, y: 20 })).toEqual({ x: 10, y: 20 });
    const placed = [{ type: 'wait' as const, position: { x: 0, y: 0 } }];
    const next = freePositionNear(placed, 'exit', { x: 10, y: 10 });
    expect(next.y).toBeGreaterThanOrEqual(nodeSize('wait').height);
    const third = freePositionNear([...placed, { type: 'exit' as const, position: next }], 'condition', {
      x: 10,
      y: 10,
    });
    expect(third.y).toBeGreaterThan(next.y);
  });
});

describe('stepTitleIn', () => {
  it('names a step by its title, else its kind, never its id', () => {
    const graph = {
      nodes: [
        { id: 'exit-1', type: 'exit' as const, title: 'Done' },
        { id: 'exit-2', type: 'exit' as const, title: '  ' },
      ],
    };
    expect(stepTitleIn(graph, 'exit-1')).toBe('Done');
    expect(stepTitleIn(graph, 'exit-2')).toBe('Exit');
    expect(stepTitleIn(graph, 'gone')).toBe('a removed step');
  });
});
