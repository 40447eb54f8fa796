/** Public API of the journey model: step registry, graph schema, helpers, validation, samples. */
export * from './steps';
export * from './conditions';
export {
  formatPath,
  formatZodIssues,
  journeyDraftNodeSchema,
  journeyDraftSchema,
  journeyEdgeSchema,
  journeyGraphSchema,
  journeyNodeSchema,
  MAX_EDGES,
  MAX_NODES,
  nodeIdSchema,
  parseJourneyGraph,
  positionSchema,
  type FormattedIssue,
  type JourneyDraft,
  type JourneyDraftNode,
  type JourneyEdge,
  type JourneyGraph,
  type JourneyGraphInput,
  type JourneyNode,
  type NodeOf,
  type ParseJourneyResult,
} from './graph';
export * from './helpers';
export {
  describeNode,
  findStructuralIssues,
  indexGraph,
  type GraphEdgeShape,
  type GraphIndex,
  type GraphNodeShape,
  type GraphShape,
  type StructuralIssue,
} from './structure';
export * from './validate';
export { dataUseByPurpose, describeRead, readKey, recordMentions, type PurposeDataUse } from './processing';
export * from './samples';
