import type { Db } from '@/db/client';
import { customerAttributeNames } from '@/db/store/messages';
import { describeNode, type Issue, type JourneyDraft } from '@/lib/journey';
import { messageContentSchema } from '@/lib/messages/content';
import { checkMessageAgainstData } from '@/lib/messages/publish-checks';

/** The publish-time message checks of every send step (MJML, customers lacking a variable). */
export async function messagePublishIssues(
  db: Db,
  graph: JourneyDraft,
): Promise<{ errors: Issue[]; warnings: Issue[] }> {
  const attributeNames = await customerAttributeNames(db);
  const errors: Issue[] = [];
  const warnings: Issue[] = [];
  for (const node of graph.nodes) {
    if (node.type !== 'send-message') continue;
    const content = messageContentSchema.safeParse((node.config as { content?: unknown }).content);
    if (!content.success) continue;
    for (const problem of await checkMessageAgainstData(db, content.data, attributeNames)) {
      const issue = {
        code: `message-${problem.code}`,
        message: `${describeNode(node)}: ${problem.message}`,
        nodeId: node.id,
        field: 'content',
      };
      (problem.severity === 'error' ? errors : warnings).push(issue);
    }
  }
  return { errors, warnings };
}
