import { checkMessage } from '@/lib/messages/checks';
import type { MessageContent } from '@/lib/messages/content';
import { describeNode } from '../structure';
import type { Finding, Rule } from './context';

/**
 * A designed message's Liquid syntax, unknown variables (when the attribute names are known)
 * and language variants, on the step that sends it. Publishing adds the MJML and data checks.
 */
export const messageContentRule: Rule = (input) =>
  input.graph.nodes.flatMap((node) => {
    if (node.type !== 'send-message') return [];
    const config = input.validConfigs.get(node.id) as { content?: MessageContent } | undefined;
    if (!config?.content) return [];
    return checkMessage(config.content, input.attributeNames).map((problem): Finding => ({
      severity: problem.severity,
      code: `message-${problem.code}`,
      message: `${describeNode(node)}: ${problem.message}`,
      nodeId: node.id,
      field: 'content',
    }));
  });
