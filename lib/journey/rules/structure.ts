import { findStructuralIssues } from '../structure';
import type { Rule } from './context';

/** Duplicate ids, dangling connections, unknown or doubly used outputs, connections into an entry. */
export const structureRule: Rule = ({ graph }) =>
  findStructuralIssues(graph).map(({ code, message, nodeId, edgeId }) => ({
    severity: 'error',
    code,
    message,
    ...(nodeId !== undefined && { nodeId }),
    ...(edgeId !== undefined && { edgeId }),
  }));
