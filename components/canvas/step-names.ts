import { isStepType, outputsOfNode, stepTitleIn, type JourneyDraft } from '@/lib/journey';

/** A step as people know it: its title, else its kind ("Exit"), never its internal id. */
export function stepTitle(graph: JourneyDraft, nodeId: string): string {
  return stepTitleIn(graph, nodeId);
}

/** The output a customer took, by its label ("Yes", "Sent"); other outcomes in plain words. */
export function outcomeLabel(graph: JourneyDraft, nodeId: string, outcome: string): string {
  const node = graph.nodes.find((n) => n.id === nodeId);
  const output =
    node && isStepType(node.type) ? outputsOfNode(node).find((o) => o.id === outcome) : undefined;
  return output?.label ?? outcome.replace(/-/g, ' ');
}
