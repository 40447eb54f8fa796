import { formatPath } from '../graph';
import { describeFieldPath, getAnyStep } from '../steps';
import { describeNode } from '../structure';
import type { Rule } from './context';
import { lacksPurpose } from './purposes';

export const invalidConfigRule: Rule = ({ graph }) =>
  graph.nodes.flatMap((node) => {
    const schema = getAnyStep(node.type).configSchema;
    const parsed = schema.safeParse(node.config);
    if (parsed.success) return [];
    return (
      parsed.error.issues
        // missing-purpose already says this, in words made for it
        .filter((issue) => !(formatPath(issue.path) === 'purpose' && lacksPurpose(node)))
        .map((issue) => {
          const field = formatPath(issue.path);
          // The message names the field as the form labels it; `field` keeps the path for the form.
          const where = issue.path.length ? `${describeFieldPath(schema, issue.path)}: ` : '';
          return {
            severity: 'error' as const,
            code: 'invalid-config',
            message: `${describeNode(node)}: ${where}${issue.message}`,
            nodeId: node.id,
            ...(field && { field }),
          };
        })
    );
  });
