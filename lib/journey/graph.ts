import { z } from 'zod';
import { STEP_TYPES, stepDefinitions, type StepDefinitions, type StepType } from './steps';
import { findStructuralIssues, type GraphShape } from './structure';

export const nodeIdSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'Use letters, digits, "_" and "-" only')
  .describe('Step id, unique within the journey');

export const positionSchema = z
  .object({ x: z.number(), y: z.number() })
  .describe('Position on the canvas, in canvas pixels');

const titleSchema = z.string().trim().max(200).optional().describe('Name shown on the canvas');

function nodeSchemaFor(type: StepType) {
  return z
    .object({
      id: nodeIdSchema,
      type: z.literal(type),
      title: titleSchema,
      position: positionSchema,
      config: stepDefinitions[type].configSchema,
    })
    .describe(stepDefinitions[type].description);
}

/** What `nodeSchemaFor(T)` is at run time; spelled out because TypeScript cannot tie the config schema to T by itself. */
type NodeSchemaFor<T extends StepType> = z.ZodObject<{
  id: typeof nodeIdSchema;
  type: z.ZodLiteral<T>;
  title: typeof titleSchema;
  position: typeof positionSchema;
  config: StepDefinitions[T]['configSchema'];
}>;
type NodeSchemasOf<Types extends readonly StepType[]> = {
  readonly [I in keyof Types]: Types[I] extends StepType ? NodeSchemaFor<Types[I]> : never;
};
type NodeSchemas = NodeSchemasOf<typeof STEP_TYPES>;

// The cast restores what `.map` widens away: one node schema per step type, in STEP_TYPES order.
const nodeSchemas = STEP_TYPES.map((type) => nodeSchemaFor(type)) as unknown as NodeSchemas;

/** A step on the canvas; `type` selects the config schema, so config errors point at `config.<field>`. */
export const journeyNodeSchema = z.discriminatedUnion('type', nodeSchemas);

export const journeyEdgeSchema = z
  .object({
    id: z.string().min(1).max(200).describe('Connection id, unique within the journey'),
    source: nodeIdSchema.describe('Step the connection leaves from'),
    sourceHandle: z.string().min(1).max(64).describe('Output of the source step, e.g. "granted"'),
    target: nodeIdSchema.describe('Step the connection leads to'),
  })
  .describe('A connection from one step output to the next step');

export const MAX_NODES = 5000;
export const MAX_EDGES = 10_000;

/** A journey graph ready to publish: every config valid and the wiring unambiguous. */
export const journeyGraphSchema = z
  .object({
    nodes: z.array(journeyNodeSchema).max(MAX_NODES),
    edges: z.array(journeyEdgeSchema).max(MAX_EDGES),
  })
  .superRefine((graph, ctx) => {
    for (const issue of findStructuralIssues(graph)) {
      ctx.addIssue({
        code: 'custom',
        message: issue.message,
        path: issue.path,
        params: { rule: issue.code },
      });
    }
  })
  .describe('Journey graph');

/**
 * A graph being edited: structure checked, configs not (a half-filled step is
 * normal while designing). `validateJourney` reports what still needs fixing.
 */
export const journeyDraftNodeSchema = z.object({
  id: nodeIdSchema,
  type: z.enum(STEP_TYPES),
  title: titleSchema,
  position: positionSchema,
  config: z.unknown(),
});
export const journeyDraftSchema = z
  .object({
    nodes: z.array(journeyDraftNodeSchema).max(MAX_NODES),
    edges: z.array(journeyEdgeSchema).max(MAX_EDGES),
  })
  .describe('Journey graph draft');

export type JourneyGraph = z.output<typeof journeyGraphSchema>;
export type JourneyGraphInput = z.input<typeof journeyGraphSchema>;
export type JourneyNode = JourneyGraph['nodes'][number];
export type JourneyEdge = z.output<typeof journeyEdgeSchema>;
export type NodeOf<T extends StepType> = Extract<JourneyNode, { type: T }>;
export type JourneyDraft = z.output<typeof journeyDraftSchema>;
export type JourneyDraftNode = JourneyDraft['nodes'][number];
export type { ConfigOf, ConfigInputOf, OutputHandleOf } from './steps';

// A parsed graph must be usable wherever the helpers take a plain graph shape.
const _graphFitsShape = (graph: JourneyGraph): GraphShape => graph;
void _graphFitsShape;

export interface FormattedIssue {
  /** e.g. "nodes[3].config.subject" or "edges[2].sourceHandle". */
  path: string;
  message: string;
  /** The step the issue is about, when the path points into `nodes` (or at an edge's source/target). */
  nodeId?: string;
  edgeId?: string;
}

export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((text, key) => {
    if (typeof key === 'number') return `${text}[${key}]`;
    return text ? `${text}.${String(key)}` : String(key);
  }, '');
}

/**
 * Flattens zod issues for API errors and the canvas. Pass the parsed input so
 * `nodes[3]` can be named by its id (indices mean nothing to a person).
 */
export function formatZodIssues(error: z.ZodError, input?: unknown): FormattedIssue[] {
  return error.issues.map((issue) => {
    const formatted: FormattedIssue = { path: formatPath(issue.path), message: issue.message };
    const [collection, index, field] = issue.path;
    if (typeof index !== 'number') return formatted;
    if (collection === 'nodes') {
      const nodeId = idAt(input, 'nodes', index);
      if (nodeId !== undefined) formatted.nodeId = nodeId;
    } else if (collection === 'edges') {
      const edgeId = idAt(input, 'edges', index);
      if (edgeId !== undefined) formatted.edgeId = edgeId;
      // A wrong output belongs to the step it leaves from, so the canvas can point there.
      const sourceId = field === 'sourceHandle' ? fieldAt(input, 'edges', index, 'source') : undefined;
      if (sourceId !== undefined) formatted.nodeId = sourceId;
    }
    return formatted;
  });
}

function fieldAt(
  input: unknown,
  collection: 'nodes' | 'edges',
  index: number,
  field: string,
): string | undefined {
  if (typeof input !== 'object' || input === null) return undefined;
  const list: unknown = (input as Record<string, unknown>)[collection];
  if (!Array.isArray(list)) return undefined;
  const item: unknown = list[index];
  if (typeof item !== 'object' || item === null) return undefined;
  const value: unknown = (item as Record<string, unknown>)[field];
  return typeof value === 'string' ? value : undefined;
}

function idAt(input: unknown, collection: 'nodes' | 'edges', index: number): string | undefined {
  return fieldAt(input, collection, index, 'id');
}

export type ParseJourneyResult = { ok: true; graph: JourneyGraph } | { ok: false; issues: FormattedIssue[] };

/** The API's entry point: a typed result instead of a thrown ZodError. */
export function parseJourneyGraph(input: unknown): ParseJourneyResult {
  const result = journeyGraphSchema.safeParse(input);
  return result.success
    ? { ok: true, graph: result.data }
    : { ok: false, issues: formatZodIssues(result.error, input) };
}
