import { and, asc, eq, isNull, isNotNull, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { messageTemplates, workspaceSettings } from '../schema';

export type MessageTemplateRow = typeof messageTemplates.$inferSelect;

export async function listMessageTemplates(
  db: Db,
  filter: { archived?: boolean } = {},
): Promise<MessageTemplateRow[]> {
  return await db
    .select()
    .from(messageTemplates)
    .where(filter.archived ? isNotNull(messageTemplates.archivedAt) : isNull(messageTemplates.archivedAt))
    .orderBy(asc(messageTemplates.name), asc(messageTemplates.id))
    .all();
}

export async function findMessageTemplate(db: Db, id: number): Promise<MessageTemplateRow | undefined> {
  return await db.select().from(messageTemplates).where(eq(messageTemplates.id, id)).get();
}

export async function insertMessageTemplate(
  db: Db,
  values: { name: string; description: string; content: unknown; authorId: number; now: Date },
): Promise<MessageTemplateRow> {
  return await db
    .insert(messageTemplates)
    .values({
      name: values.name,
      description: values.description,
      content: values.content,
      createdBy: values.authorId,
      updatedBy: values.authorId,
      createdAt: values.now,
      updatedAt: values.now,
    })
    .returning()
    .get();
}

/** Saves an edit as the next version; undefined when the template is gone or archived. */
export async function updateMessageTemplate(
  db: Db,
  id: number,
  values: { name: string; description: string; content: unknown; authorId: number; now: Date },
): Promise<MessageTemplateRow | undefined> {
  return await db
    .update(messageTemplates)
    .set({
      name: values.name,
      description: values.description,
      content: values.content,
      version: sql`${messageTemplates.version} + 1`,
      updatedBy: values.authorId,
      updatedAt: values.now,
    })
    .where(and(eq(messageTemplates.id, id), isNull(messageTemplates.archivedAt)))
    .returning()
    .get();
}

export async function setMessageTemplateArchived(
  db: Db,
  id: number,
  archivedAt: Date | null,
  authorId: number,
): Promise<boolean> {
  const result = await db
    .update(messageTemplates)
    .set({ archivedAt, updatedBy: authorId })
    .where(eq(messageTemplates.id, id))
    .run();
  return result.changes > 0;
}

export async function readWorkspaceSetting(db: Db, key: string): Promise<unknown> {
  const row = await db
    .select({ value: workspaceSettings.value })
    .from(workspaceSettings)
    .where(eq(workspaceSettings.key, key))
    .get();
  return row?.value;
}

export async function writeWorkspaceSetting(
  db: Db,
  key: string,
  value: unknown,
  authorId: number,
  now: Date,
): Promise<void> {
  await db
    .insert(workspaceSettings)
    .values({ key, value, updatedBy: authorId, updatedAt: now })
    .onConflictDoUpdate({
      target: workspaceSettings.key,
      set: { value, updatedBy: authorId, updatedAt: now },
    })
    .run();
}
