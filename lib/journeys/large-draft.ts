import type { JourneyDraft, JourneyDraftNode, JourneyEdge, StepType } from '@/lib/journey';

/**
 * A large, well-formed draft for the canvas benchmark: `nodeCount` steps in a branching
 * tree of condition / wait / send steps with about 1.5 edges per step.
 */
export function largeDraft(nodeCount: number, purposeKey: string): JourneyDraft {
  const nodes: JourneyDraftNode[] = [];
  const edges: JourneyEdge[] = [];
  const columns = 40;
  for (let i = 0; i < nodeCount; i++) {
    const type: StepType =
      i === 0 ? 'entry' : i % 2 === 1 ? 'condition' : i % 4 === 2 ? 'wait' : 'send-message';
    const config =
      type === 'entry'
        ? { mode: 'event', eventName: 'signed-up', reentry: { policy: 'never' }, goals: [] }
        : type === 'condition'
          ? { rule: { match: 'all', conditions: [{ kind: 'event', name: `e${i}` }] } }
          : type === 'wait'
            ? { mode: 'duration', minutes: 60 }
            : { purpose: purposeKey, channel: 'email', subject: `Mail ${i}`, body: 'Hello {{firstName}}' };
    nodes.push({
      id: `n${i}`,
      type,
      title: `Step ${i}`,
      position: { x: (i % columns) * 280, y: Math.floor(i / columns) * 160 },
      config,
    });
  }
  const outputsUsed = new Map<string, string[]>();
  const handlesOf = (type: StepType): string[] =>
    type === 'condition' ? ['yes', 'no'] : type === 'send-message' ? ['sent', 'skipped'] : ['next'];
  // Each step i > 0 gets one parent; conditions and sends then get a second child until 1.5 edges per node.
  const target = Math.round(nodeCount * 1.5);
  const connect = (source: JourneyDraftNode, targetNode: JourneyDraftNode): boolean => {
    const used = outputsUsed.get(source.id) ?? [];
    const free = handlesOf(source.type).find((h) => !used.includes(h));
    if (!free || targetNode.type === 'entry' || source.id === targetNode.id) return false;
    outputsUsed.set(source.id, [...used, free]);
    edges.push({
      id: `${source.id}-${free}-${targetNode.id}`,
      source: source.id,
      sourceHandle: free,
      target: targetNode.id,
    });
    return true;
  };
  for (let i = 1; i < nodeCount; i++) connect(nodes[Math.floor((i - 1) / 2)], nodes[i]);
  for (let step = 3; edges.length < target && step < 50; step++) {
    for (let i = 0; edges.length < target && i + step < nodeCount; i++) connect(nodes[i], nodes[i + step]);
  }
  return { nodes, edges };
}
