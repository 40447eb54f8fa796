import { z } from 'zod';
import { getDb, writeTransaction, type Db } from '@/db/client';
import { insertAudit } from '@/db/store/audit';
import {
  findMessageTemplate,
  insertMessageTemplate,
  listMessageTemplates,
  setMessageTemplateArchived,
  updateMessageTemplate,
  type MessageTemplateRow,
} from '@/db/store/message-templates';
import type { StaffUser } from '@/lib/auth/roles';
import { err, ok, type Err, type Failure, type Result } from '@/lib/result';
import { checkMessage } from './checks';
import { messageContentSchema, type MessageContent } from './content';
import { checkMessageRenders } from './publish-checks';
import { workspaceLayout } from './workspace-settings';

/** A reusable message (Settings → Message templates): a name, a note, and a designed message. */
export type MessageTemplate = {
  id: number;
  name: string;
  description: string;
  content: MessageContent;
  version: number;
  archived: boolean;
  updatedAt: Date | null;
};

export const templateInputSchema = z.strictObject({
  name: z.string().trim().min(1, 'Give the template a name').max(200),
  description: z.string().trim().max(1000).default(''),
  content: messageContentSchema,
});
export type TemplateInput = z.infer<typeof templateInputSchema>;

function toTemplate(row: MessageTemplateRow): MessageTemplate | undefined {
  const content = messageContentSchema.safeParse(row.content);
  if (!content.success) return undefined;
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    content: content.data,
    version: row.version,
    archived: row.archivedAt !== null,
    updatedAt: row.updatedAt,
  };
}

export async function listTemplates(options: { archived?: boolean } = {}): Promise<MessageTemplate[]> {
  const rows = await listMessageTemplates(getDb(), options);
  return rows.flatMap((row) => toTemplate(row) ?? []);
}

export async function findTemplate(id: number, db: Db = getDb()): Promise<MessageTemplate | undefined> {
  const row = await findMessageTemplate(db, id);
  return row ? toTemplate(row) : undefined;
}

/**
 * A template is checked on save as far as it can be without a journey (unknown variables and
 * missing data are checked when a journey publishes): Liquid syntax, its MJML, and a trial render
 * (a template that hides the legal footer or runs into the sandbox's limits), so a template nobody
 * could send is refused with the reason.
 */
async function contentProblem(content: MessageContent): Promise<Err<Failure<'invalid_field'>> | undefined> {
  const problem =
    checkMessage(content).find((p) => p.severity === 'error') ??
    (await checkMessageRenders(content, await workspaceLayout()))[0];
  return problem ? err('invalid_field', problem.message, { field: 'content' }) : undefined;
}

export async function createTemplate(
  staff: StaffUser,
  input: TemplateInput,
  now = new Date(),
): Promise<Result<MessageTemplate, Failure<'invalid_field'>>> {
  const problem = await contentProblem(input.content);
  if (problem) return problem;
  return await writeTransaction(async (db) => {
    const row = await insertMessageTemplate(db, { ...input, authorId: staff.id, now });
    await insertAudit(db, {
      actorType: 'user',
      actorId: staff.id,
      action: 'message_template.create',
      targetType: 'message_template',
      targetId: row.id,
    });
    return ok(toTemplate(row)!);
  });
}

/** An edit is the template's next version; journeys already published keep the version they copied. */
export async function updateTemplate(
  staff: StaffUser,
  id: number,
  input: TemplateInput,
  now = new Date(),
): Promise<Result<MessageTemplate, Failure<'invalid_field' | 'not_found'>>> {
  const problem = await contentProblem(input.content);
  if (problem) return problem;
  return await writeTransaction(async (db) => {
    const row = await updateMessageTemplate(db, id, { ...input, authorId: staff.id, now });
    if (!row) return err('not_found', 'No such template (or it is archived)');
    await insertAudit(db, {
      actorType: 'user',
      actorId: staff.id,
      action: 'message_template.update',
      targetType: 'message_template',
      targetId: id,
      details: { version: row.version },
    });
    return ok(toTemplate(row)!);
  });
}

/** Archived templates leave the picker; published journeys keep their copy, drafts must choose again. */
export async function setTemplateArchived(
  staff: StaffUser,
  id: number,
  archived: boolean,
  now = new Date(),
): Promise<Result<{ id: number }, Failure<'not_found'>>> {
  return await writeTransaction(async (db) => {
    if (!(await setMessageTemplateArchived(db, id, archived ? now : null, staff.id)))
      return err('not_found', 'No such template');
    await insertAudit(db, {
      actorType: 'user',
      actorId: staff.id,
      action: archived ? 'message_template.archive' : 'message_template.restore',
      targetType: 'message_template',
      targetId: id,
    });
    return ok({ id });
  });
}
