import { handleOf, type Db, type DbHandle } from '@/db/client';
import { findPublishedVersionRow } from '@/db/store/journey-runtime';
import { journeyGraphSchema, type JourneyGraph, type JourneyNode } from '@/lib/journey';

/**
 * Published journey versions as the executor and the dispatcher run them: parsed and indexed once
 * per process and connection (a published version never changes).
 */

export interface PublishedVersion {
  journeyId: number;
  versionId: number;
  number: number | null;
  graph: JourneyGraph;
  /** The graph's steps by id and its edges by (step, handle): looked up on every transition. */
  nodesById: ReadonlyMap<string, JourneyNode>;
  nextNodeId: (nodeId: string, handle: string) => string | undefined;
}

/** Indexes an immutable graph once, so a transition is two map lookups instead of two scans. */
function indexGraph(graph: JourneyGraph): Pick<PublishedVersion, 'nodesById' | 'nextNodeId'> {
  const nodesById = new Map(graph.nodes.map((node) => [node.id, node]));
  const targets = new Map<string, string>();
  // The first matching edge wins, as in lib/journey's nextNodeId.
  for (const edge of graph.edges) {
    const key = `${edge.source}\u0000${edge.sourceHandle}`;
    if (!targets.has(key)) targets.set(key, edge.target);
  }
  return { nodesById, nextNodeId: (nodeId, handle) => targets.get(`${nodeId}\u0000${handle}`) };
}

const versionCache = new WeakMap<DbHandle, Map<number, PublishedVersion>>();

/** A published (immutable) version with its graph parsed once per process and connection. */
export async function loadPublishedVersion(db: Db, versionId: number): Promise<PublishedVersion | undefined> {
  const handle = handleOf(db);
  let cache = versionCache.get(handle);
  if (!cache) {
    cache = new Map();
    versionCache.set(handle, cache);
  }
  const cached = cache.get(versionId);
  if (cached) return cached;
  const row = await findPublishedVersionRow(db, versionId);
  if (!row) return undefined;
  const graph = journeyGraphSchema.parse(JSON.parse(row.graph));
  const version = {
    journeyId: row.journeyId,
    versionId: row.id,
    number: row.number,
    graph,
    ...indexGraph(graph),
  };
  cache.set(versionId, version);
  return version;
}
