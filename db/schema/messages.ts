import { sqliteTable, integer, text, index } from 'drizzle-orm/sqlite-core';
import { createdAt, id, json, timestamp } from './_columns';
import { users } from './auth';

/**
 * Reusable message templates (Settings → Message templates). `content` is a designed message
 * (lib/messages/content: a variant per language); `version` counts the edits. A journey's send
 * step references a template by id while it is a draft; publishing copies the template's content
 * and version into the published journey version, so a later edit never changes a live journey.
 */
export const messageTemplates = sqliteTable(
  'message_templates',
  {
    id: id(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    content: json('content').$type<unknown>().notNull(),
    version: integer('version').notNull().default(1),
    createdBy: integer('created_by').references(() => users.id),
    updatedBy: integer('updated_by').references(() => users.id),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at'),
    archivedAt: timestamp('archived_at'),
  },
  (t) => [index('message_templates_archived').on(t.archivedAt)],
);

/**
 * Workspace-wide settings, one validated JSON value per key (lib/messages/workspace-settings
 * declares the keys and their zod schemas): the message layout, the saved test addresses.
 */
export const workspaceSettings = sqliteTable('workspace_settings', {
  key: text('key').primaryKey(),
  value: json('value').$type<unknown>().notNull(),
  updatedBy: integer('updated_by').references(() => users.id),
  updatedAt: timestamp('updated_at').notNull(),
});
