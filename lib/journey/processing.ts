import { getAnyStep, type DataRead } from './steps';
import { indexGraph, type GraphEdgeShape, type GraphNodeShape, type GraphShape } from './structure';

/**
 * What one journey does with personal data for each purpose it acts for: the ground of the
 * record of processing (Art. 30 GDPR, lib/mission-control/records.ts) and of the publish-time
 * check that the purpose's record mentions it (rules/records.ts). Pure: read from the graph and
 * the step units' own declarations (`purposeOf`, `reads`, `recipientOf`).
 */
export interface PurposeDataUse {
  purpose: string;
  /** The steps acting for the purpose (a send, consent gate, opt-in or transfer), in graph order. */
  nodeIds: string[];
  /** What is read for the purpose, each with the steps that read it, in graph order. */
  reads: { read: DataRead; nodeIds: string[] }[];
  /** Named recipients the journey's transfer steps deliver to under the purpose. */
  recipients: string[];
  /** A step for the purpose reads the address: the journey mails for it (the mail provider is a processor). */
  mails: boolean;
}

type Node = GraphNodeShape & { config?: unknown };

/**
 * Per purpose (in order of first use), what the journey reads for it. A step's reads count for a
 * purpose when the step acts for it or leads to a step that does: it decides who is contacted,
 * when, or with what. A branch that never reaches a step for the purpose (e.g. one that ends in an
 * erasure) is no processing for it. Steps whose config is not valid are skipped (validation
 * reports them); connections to missing steps are ignored.
 */
export function dataUseByPurpose(graph: GraphShape<Node, GraphEdgeShape>): PurposeDataUse[] {
  const configs = new Map<string, unknown>();
  for (const node of graph.nodes) {
    const parsed = getAnyStep(node.type).configSchema.safeParse(node.config);
    if (parsed.success && !configs.has(node.id)) configs.set(node.id, parsed.data);
  }
  const index = indexGraph(graph);
  const stepsFor = new Map<string, string[]>();
  for (const node of graph.nodes) {
    const config = configs.get(node.id);
    const purpose = config === undefined ? undefined : getAnyStep(node.type).purposeOf?.(config);
    if (!purpose) continue;
    const steps = stepsFor.get(purpose);
    if (steps) steps.push(node.id);
    else stepsFor.set(purpose, [node.id]);
  }
  return [...stepsFor].map(([purpose, nodeIds]) => {
    const before = stepsLeadingTo(index.incoming, nodeIds);
    const reads = new Map<string, { read: DataRead; nodeIds: string[] }>();
    for (const node of graph.nodes) {
      const config = configs.get(node.id);
      if (config === undefined || !before.has(node.id)) continue;
      for (const read of getAnyStep(node.type).reads?.(config) ?? []) {
        const key = readKey(read);
        const entry = reads.get(key);
        if (!entry) reads.set(key, { read, nodeIds: [node.id] });
        else if (!entry.nodeIds.includes(node.id)) entry.nodeIds.push(node.id);
      }
    }
    const recipients = new Set<string>();
    let mails = false;
    for (const id of nodeIds) {
      const node = index.nodesById.get(id);
      const config = configs.get(id);
      if (!node || config === undefined) continue;
      const definition = getAnyStep(node.type);
      const recipient = definition.recipientOf?.(config);
      if (recipient) recipients.add(recipient);
      if (definition.reads?.(config).some((read) => read.kind === 'field' && read.name === 'email'))
        mails = true;
    }
    return { purpose, nodeIds, reads: [...reads.values()], recipients: [...recipients], mails };
  });
}

/** The steps themselves and every step from which one of them can be reached. */
function stepsLeadingTo(
  incoming: ReadonlyMap<string, readonly GraphEdgeShape[]>,
  targets: readonly string[],
): Set<string> {
  const seen = new Set<string>(targets);
  const queue = [...targets];
  while (queue.length > 0) {
    for (const edge of incoming.get(queue.pop()!) ?? []) {
      if (seen.has(edge.source)) continue;
      seen.add(edge.source);
      queue.push(edge.source);
    }
  }
  return seen;
}

/** One key per distinct read, e.g. "attribute:country" or "blocks". */
export function readKey(read: DataRead): string {
  return 'name' in read ? `${read.kind}:${read.name}` : read.kind;
}

const FIELD_LABELS: Record<string, string> = {
  email: 'email address',
  name: 'name',
  firstName: 'first name',
  language: 'language',
  timeZone: 'time zone',
};

/** A read as the record of processing names it, e.g. 'attribute “country”'. */
export function describeRead(read: DataRead): string {
  switch (read.kind) {
    case 'field':
      return FIELD_LABELS[read.name] ?? read.name;
    case 'attribute':
      return `attribute “${read.name}”`;
    case 'event':
      return `event “${read.name}”`;
    case 'consent':
      return `consent state (${read.name})`;
    case 'blocks':
      return 'contact blocks';
    case 'data-package':
      return 'data package (profile, consents, journeys, messages)';
  }
}

/** Lower-case words: "loyaltyTier", "loyalty_tier" and "Loyalty tier" all read "loyalty tier". */
function words(text: string): string {
  return ` ${text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()} `;
}

/**
 * Whether a purpose's record text (its description and notice, in any language) names this data:
 * the name appears as whole words, ignoring case and how the words are joined, so the attribute
 * "loyaltyTier" is mentioned by "your loyalty tier" and by "loyalty_tier".
 */
export function recordMentions(recordText: string, name: string): boolean {
  const wanted = words(name);
  return wanted.trim() !== '' && words(recordText).includes(wanted);
}
