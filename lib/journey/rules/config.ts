import { formatPath } from '../graph';
import { getAnyStep } from '../steps';
import { describeNode } from '../structure';
import type { Rule } from './context';
import { lacksPurpose } from './purposes';

export const invalidConfigRule: Rule = ({ graph }) =>
  graph.nodes.flatMap((node) => {
    const parsed = getAnyStep(node.type).configSchema.safeParse(node.config);
    if (parsed.success) return [];
    return (
      parsed.error.issues
        // missing-purpose already says this, in words made for it
        .filter((issue) => !(formatPath(issue.path) === 'purpose' && lacksPurpose(node)))
        .map((issue) => {
          const field = formatPath(issue.path);
          return {
            severity: 'error' as const,
            code: 'invalid-config',
            message: `${describeNode(node)}: ${field ? `${field}: ` : ''}${issue.message}`,
            nodeId: node.id,
            ...(field && { field }),
          };
        })
    );
  });
