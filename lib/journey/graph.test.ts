import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import {
  formatPath,
  formatZodIssues,
  journeyDraftSchema,
  journeyGraphSchema,
  parseJourneyGraph,
  type JourneyGraph,
  type NodeOf,
} from './graph';
import { sampleSimpleJourney } from './samples';

const validGraph = () => sampleSimpleJourney('newsletter');
const issuesOf = (input: unknown) => {
  const result = journeyGraphSchema.safeParse(input);
  return result.success ? [] : formatZodIssues(result.error, input);
};

describe('journeyGraphSchema', () => {
  it('accepts a well-formed journey', () => {
    expect(journeyGraphSchema.safeParse(validGraph()).success).toBe(true);
  });

  it('points config errors at the node field, naming the node', () => {
    const graph = validGraph();
    const send = graph.nodes[2] as NodeOf<'send-message'>;
    send.config.subject = '';
    expect(issuesOf(graph)).toEqual([
      { path: 'nodes[2].config.subject', message: 'Enter a subject', nodeId: 'send' },
    ]);
  });

  it('picks the config schema by node type', () => {
    const graph: unknown = {
      nodes: [{ id: 'w', type: 'wait', position: { x: 0, y: 0 }, config: { mode: 'duration', minutes: -5 } }],
      edges: [],
    };
    expect(issuesOf(graph).map((issue) => issue.path)).toEqual(['nodes[0].config.minutes']);
  });

  it('rejects an unknown step type at the type field', () => {
    const graph = { nodes: [{ id: 'x', type: 'teleport', position: { x: 0, y: 0 }, config: {} }], edges: [] };
    expect(issuesOf(graph).map((issue) => [issue.path, issue.nodeId])).toEqual([['nodes[0].type', 'x']]);
  });

  it('only allows letters, digits, "_" and "-" in node ids, up to 64 characters', () => {
    const graph = validGraph();
    graph.nodes[0].id = 'has space';
    expect(issuesOf(graph).some((issue) => issue.path === 'nodes[0].id')).toBe(true);
    graph.nodes[0].id = 'x'.repeat(65);
    expect(issuesOf(graph).some((issue) => issue.path === 'nodes[0].id')).toBe(true);
  });

  it('flags duplicate node ids', () => {
    const graph = validGraph();
    graph.nodes[5].id = 'wait';
    expect(issuesOf(graph)).toContainEqual(expect.objectContaining({ path: 'nodes[5].id', nodeId: 'wait' }));
  });

  it('flags edges to unknown nodes', () => {
    const graph = validGraph();
    graph.edges[1].target = 'ghost';
    expect(issuesOf(graph)).toContainEqual(
      expect.objectContaining({ path: 'edges[1].target', edgeId: graph.edges[1].id }),
    );
  });

  it('flags edges from a handle the source step type does not have', () => {
    const graph = validGraph();
    graph.edges[2].sourceHandle = 'granted'; // edge 2 leaves a send-message
    const issues = issuesOf(graph);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ path: 'edges[2].sourceHandle', nodeId: 'send' });
    expect(issues[0].message).toContain('has no output “granted”');
  });

  it('flags a second edge on the same output', () => {
    const graph = validGraph();
    graph.edges.push({ id: 'again', source: 'gate', sourceHandle: 'granted', target: 'exit' });
    expect(issuesOf(graph)).toContainEqual(
      expect.objectContaining({ path: 'edges[6].sourceHandle', edgeId: 'again' }),
    );
  });

  it('caps journeys at 5000 steps', () => {
    const nodes = Array.from({ length: 5001 }, (_, i) => ({
      id: `n${i}`,
      type: 'exit',
      position: { x: 0, y: 0 },
      config: {},
    }));
    expect(issuesOf({ nodes, edges: [] }).map((issue) => issue.path)).toContain('nodes');
  });

  it('infers node types whose config follows the step type', () => {
    expectTypeOf<NodeOf<'wait'>['config']>().toEqualTypeOf<
      { mode: 'duration'; minutes: number } | { mode: 'until-local-time'; time: string }
    >();
    expectTypeOf<JourneyGraph['nodes'][number]['type']>().toEqualTypeOf<
      | 'entry'
      | 'send-message'
      | 'consent-gate'
      | 'double-opt-in'
      | 'advertising-block'
      | 'set-advertising-block'
      | 'reference'
      | 'transfer'
      | 'forget'
      | 'wait'
      | 'condition'
      | 'split'
      | 'exit'
    >();
  });

  it('can be described as JSON Schema for the OpenAPI document', () => {
    expect(() => z.toJSONSchema(journeyGraphSchema, { io: 'input' })).not.toThrow();
  });
});

describe('journeyDraftSchema', () => {
  it('accepts half-filled configs so the canvas can save work in progress', () => {
    const graph = validGraph();
    (graph.nodes[2] as NodeOf<'send-message'>).config.subject = '';
    expect(journeyDraftSchema.safeParse(graph).success).toBe(true);
    expect(journeyGraphSchema.safeParse(graph).success).toBe(false);
  });
});

describe('formatZodIssues', () => {
  it('writes paths with dots and indices', () => {
    expect(formatPath(['nodes', 3, 'config', 'subject'])).toBe('nodes[3].config.subject');
    expect(formatPath([])).toBe('');
  });

  it('leaves nodeId out when the input is not at hand', () => {
    const graph = validGraph();
    graph.nodes[0].position = { x: Number.NaN, y: 0 };
    const result = journeyGraphSchema.safeParse(graph);
    expect(formatZodIssues(result.error!)).toEqual([
      { path: 'nodes[0].position.x', message: expect.any(String) },
    ]);
  });
});

describe('parseJourneyGraph', () => {
  it('returns the parsed graph with defaults filled in', () => {
    const graph = validGraph();
    graph.nodes.push({
      id: 'ref',
      type: 'reference',
      position: { x: 0, y: 0 },
      config: {} as { formats: ('json' | 'csv')[] },
    });
    const result = parseJourneyGraph(graph);
    expect(result.ok && result.graph.nodes.at(-1)?.config).toEqual({ formats: ['json', 'csv'] });
  });

  it('returns issues instead of throwing', () => {
    expect(parseJourneyGraph({ nodes: 'nope' })).toEqual({
      ok: false,
      issues: [
        { path: 'nodes', message: expect.any(String) },
        { path: 'edges', message: expect.any(String) },
      ],
    });
  });
});
