import type { JourneyDraftNode } from '../graph';
import { getAnyStep, outputsOfNode, type RawConfig } from '../steps';
import { indexGraph, type GraphEdgeShape, type GraphIndex, type GraphShape } from '../structure';

/** A validation finding, readable by a marketer; ids let the canvas highlight the step or connection. */
export interface Issue {
  code: string;
  message: string;
  nodeId?: string;
  edgeId?: string;
  /** Config field the issue is about, e.g. "subject" or "reentry.periodDays". */
  field?: string;
}

export type Finding = Issue & { severity: 'error' | 'warning' };

export interface PurposeInfo {
  key: string;
  legalBasis: string;
  themes: string[];
  recipients: string[];
  /**
   * The purpose's description and current notice, all languages: the text its record of
   * processing rests on. When given, journeys are checked against it (rules/records.ts).
   */
  record?: string;
}

export interface ValidationContext {
  purposes: PurposeInfo[];
  /** Attribute names customers have; with them, message templates are checked for unknown variables. */
  attributeNames?: string[];
}

/** What the validator accepts: a draft (configs not yet checked) or a parsed graph. */
export type ValidatableGraph = GraphShape<
  Pick<JourneyDraftNode, 'id' | 'type' | 'title' | 'config'>,
  GraphEdgeShape
>;
export type ValidatableNode = ValidatableGraph['nodes'][number];

/** Everything rules share, computed once per validation. */
export interface RuleInput {
  graph: ValidatableGraph;
  /** Built from usable edges only (known nodes, real outputs), i.e. the paths the executor can take. */
  index: GraphIndex<ValidatableNode>;
  /** Parsed config of each node whose config is valid; rules reading config skip the rest (invalid-config reports them). */
  validConfigs: ReadonlyMap<string, unknown>;
  purposes?: ReadonlyMap<string, PurposeInfo>;
  attributeNames?: readonly string[];
}

export type Rule = (input: RuleInput) => Finding[];

export function buildRuleInput(graph: ValidatableGraph, ctx?: ValidationContext): RuleInput {
  const validConfigs = new Map<string, unknown>();
  for (const node of graph.nodes) {
    const parsed = getAnyStep(node.type).configSchema.safeParse(node.config);
    if (parsed.success && !validConfigs.has(node.id)) validConfigs.set(node.id, parsed.data);
  }
  return {
    graph,
    index: indexGraph({ nodes: graph.nodes, edges: usableEdges(graph) }),
    validConfigs,
    purposes: ctx ? new Map(ctx.purposes.map((purpose) => [purpose.key, purpose])) : undefined,
    attributeNames: ctx?.attributeNames,
  };
}

/** Purpose a node sends for or needs, from its valid config. */
export function purposeOfNode(input: RuleInput, node: ValidatableNode): string | undefined {
  const config = input.validConfigs.get(node.id);
  return config === undefined ? undefined : getAnyStep(node.type).purposeOf?.(config);
}

export function themesOfNode(input: RuleInput, node: ValidatableNode): string[] {
  const config = input.validConfigs.get(node.id);
  return config === undefined ? [] : (getAnyStep(node.type).themesOf?.(config) ?? []);
}

/** A config that may not be valid yet, as the fields a step declaration reads. */
export function rawConfigOf(config: unknown): RawConfig {
  return typeof config === 'object' && config !== null ? (config as RawConfig) : {};
}

/** Broken connections are reported once by the structure rule; the other rules act as if they were absent. */
function usableEdges(graph: ValidatableGraph): GraphEdgeShape[] {
  const nodesById = new Map(graph.nodes.map((node) => [node.id, node]));
  return graph.edges.filter((edge) => {
    const source = nodesById.get(edge.source);
    const target = nodesById.get(edge.target);
    return (
      source !== undefined &&
      target !== undefined &&
      target.type !== 'entry' &&
      outputsOfNode(source).some((output) => output.id === edge.sourceHandle)
    );
  });
}
