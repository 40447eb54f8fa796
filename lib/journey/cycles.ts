import { indexGraph, type GraphIndex, type GraphShape } from './structure';

/**
 * Loops in the graph, one per strongly connected group of steps, each given as
 * a concrete cycle [a, b, c] meaning a → b → c → a (a self-loop is [a]).
 * Tarjan's algorithm, iterative so 5000-step journeys cannot overflow the stack.
 */
export function findCycles(graph: GraphShape): string[][] {
  const index = indexGraph(graph);
  return stronglyConnectedComponents(index)
    .filter((component) => component.length > 1 || hasSelfLoop(index, component[0]))
    .map((component) => cycleWithin(index, component));
}

function hasSelfLoop(index: GraphIndex, nodeId: string): boolean {
  return (index.outgoing.get(nodeId) ?? []).some((edge) => edge.target === nodeId);
}

function stronglyConnectedComponents(index: GraphIndex): string[][] {
  const order = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  let counter = 0;

  for (const root of index.nodesById.keys()) {
    if (order.has(root)) continue;
    // Each frame remembers which outgoing edge to look at next.
    const frames: { id: string; edgeIndex: number }[] = [{ id: root, edgeIndex: 0 }];
    order.set(root, counter);
    low.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (frames.length > 0) {
      const frame = frames[frames.length - 1];
      const edges = index.outgoing.get(frame.id) ?? [];
      if (frame.edgeIndex < edges.length) {
        const target = edges[frame.edgeIndex++].target;
        if (!index.nodesById.has(target)) continue;
        if (!order.has(target)) {
          order.set(target, counter);
          low.set(target, counter++);
          stack.push(target);
          onStack.add(target);
          frames.push({ id: target, edgeIndex: 0 });
        } else if (onStack.has(target)) {
          low.set(frame.id, Math.min(low.get(frame.id)!, order.get(target)!));
        }
        continue;
      }
      frames.pop();
      const parent = frames[frames.length - 1];
      if (parent) low.set(parent.id, Math.min(low.get(parent.id)!, low.get(frame.id)!));
      if (low.get(frame.id) === order.get(frame.id)) {
        const component: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.id);
        components.push(component.reverse());
      }
    }
  }
  return components;
}

/** Shortest way round from the component's first node back to itself, staying inside the component. */
function cycleWithin(index: GraphIndex, component: string[]): string[] {
  const members = new Set(component);
  const start = component[0];
  const previous = new Map<string, string>();
  const queue = [start];
  for (let head = 0; head < queue.length; head++) {
    const current = queue[head];
    for (const edge of index.outgoing.get(current) ?? []) {
      if (!members.has(edge.target)) continue;
      if (edge.target === start) {
        const path = [current];
        while (path[0] !== start) path.unshift(previous.get(path[0])!);
        return path;
      }
      if (!previous.has(edge.target)) {
        previous.set(edge.target, current);
        queue.push(edge.target);
      }
    }
  }
  return component; // unreachable for a real component; kept as a safe answer
}
