import { describe, expect, it } from 'vitest';
import { findStructuralIssues, sampleSimpleJourney, type JourneyDraft } from '@/lib/journey';
import {
  autoLayoutPositions,
  copySelection,
  createHistory,
  largeDraft,
  newNodeId,
  pasteClipboard,
  pushHistory,
  redoHistory,
  removeNodes,
  undoHistory,
} from './graph-edit';

const simple = (): JourneyDraft => sampleSimpleJourney('newsletter');

describe('undo history', () => {
  it('undoes and redoes in order and drops the redo branch on a new edit', () => {
    let h = createHistory(1);
    h = pushHistory(h, 2);
    h = pushHistory(h, 3);
    h = undoHistory(h);
    expect(h.present).toBe(2);
    h = undoHistory(h);
    expect(h.present).toBe(1);
    expect(undoHistory(h)).toBe(h);
    h = redoHistory(h);
    expect(h.present).toBe(2);
    h = pushHistory(h, 9);
    expect(h.future).toEqual([]);
    expect(redoHistory(h)).toBe(h);
    expect(undoHistory(h).present).toBe(2);
  });

  it('keeps at most the limit of past states', () => {
    let h = createHistory(0);
    for (let i = 1; i <= 20; i++) h = pushHistory(h, i, 5);
    expect(h.past).toEqual([15, 16, 17, 18, 19]);
  });

  it('ignores pushing the same state', () => {
    const h = createHistory('a');
    expect(pushHistory(h, 'a')).toBe(h);
  });
});

describe('node ids', () => {
  it('picks the first free readable id', () => {
    expect(newNodeId('wait', ['wait-1', 'wait-2', 'exit-3'])).toBe('wait-3');
    expect(newNodeId('send-message', [])).toBe('send-message-1');
  });
});

describe('copy and paste', () => {
  it('pastes copies with fresh ids and only the connections between copied steps', () => {
    const graph = simple();
    const clip = copySelection(graph, ['send', 'wait']);
    expect(clip.nodes.map((n) => n.id)).toEqual(['send', 'wait']);
    expect(clip.edges).toHaveLength(1);
    const { graph: pasted, pastedIds } = pasteClipboard(graph, clip);
    expect(pastedIds).toEqual(['send-message-1', 'wait-1']);
    expect(pasted.nodes).toHaveLength(graph.nodes.length + 2);
    expect(pasted.edges.at(-1)).toMatchObject({
      source: 'send-message-1',
      sourceHandle: 'sent',
      target: 'wait-1',
    });
    const copy = pasted.nodes.find((n) => n.id === 'send-message-1')!;
    const original = graph.nodes.find((n) => n.id === 'send')!;
    expect(copy.position).toEqual({ x: original.position.x + 40, y: original.position.y + 40 });
    expect(findStructuralIssues(pasted)).toEqual([]);
  });

  it('does not share config objects with the original', () => {
    const graph = simple();
    const { graph: pasted } = pasteClipboard(graph, copySelection(graph, ['entry']));
    expect(pasted.nodes.at(-1)!.config).toEqual(graph.nodes[0].config);
    expect(pasted.nodes.at(-1)!.config).not.toBe(graph.nodes[0].config);
  });
});

describe('removeNodes', () => {
  it('removes the steps and every connection touching them', () => {
    const result = removeNodes(simple(), ['send']);
    expect(result.nodes.map((n) => n.id)).not.toContain('send');
    expect(result.edges.some((e) => e.source === 'send' || e.target === 'send')).toBe(false);
    expect(result.edges).toHaveLength(4);
  });
});

describe('auto-layout', () => {
  it('places every step and puts each step below the one before it', () => {
    const graph = simple();
    const positions = autoLayoutPositions(graph);
    expect(positions.size).toBe(graph.nodes.length);
    for (const edge of graph.edges) {
      expect(positions.get(edge.target)!.y).toBeGreaterThan(positions.get(edge.source)!.y);
    }
  });
});

describe('largeDraft', () => {
  it('builds a structurally sound 1,000-step, 1,500-connection graph', () => {
    const graph = largeDraft(1000, 'newsletter');
    expect(graph.nodes).toHaveLength(1000);
    expect(graph.edges).toHaveLength(1500);
    expect(findStructuralIssues(graph)).toEqual([]);
  });
});
