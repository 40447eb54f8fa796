import type { Db } from '@/db/client';
import { customerAttributeNames } from '@/db/store/messages';
import { describeNode, type Issue, type JourneyDraft } from '@/lib/journey';
import { messageContentSchema } from '@/lib/messages/content';
import { checkMessageAgainstData } from '@/lib/messages/publish-checks';
import { findTemplate } from '@/lib/messages/templates';

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

/**
 * Publishing resolves each send step's template: the template's current content and version are
 * copied into the step's config (`content`, `template.version`) of the version being published.
 * A snapshot, not a live reference: the dispatcher renders what was published, so editing or
 * archiving the template later never changes a live journey; publishing again picks up the edit
 * (it shows as a changed step). A missing or archived template is an error on its step.
 */
export async function resolveTemplates(
  db: Db,
  graph: JourneyDraft,
): Promise<{ graph: JourneyDraft; errors: Issue[] }> {
  const errors: Issue[] = [];
  const nodes = [];
  for (const node of graph.nodes) {
    const ref = templateRefOf(node.config);
    if (node.type !== 'send-message' || !ref) {
      nodes.push(node);
      continue;
    }
    const template = await findTemplate(ref, db);
    if (!template || template.archived) {
      errors.push({
        code: 'message-template-missing',
        message: `${describeNode(node)}: its template ${template ? `“${template.name}” is archived` : 'no longer exists'}; choose another one`,
        nodeId: node.id,
        field: 'template',
      });
      nodes.push(node);
      continue;
    }
    const { subject: _subject, body: _body, ...config } = node.config as Record<string, unknown>;
    nodes.push({
      ...node,
      config: {
        ...config,
        template: { id: template.id, version: template.version },
        content: template.content,
      },
    });
  }
  return { graph: { ...graph, nodes }, errors };
}

function templateRefOf(config: unknown): number | undefined {
  const template = (config as { template?: { id?: unknown } } | undefined)?.template;
  return typeof template?.id === 'number' ? template.id : undefined;
}
