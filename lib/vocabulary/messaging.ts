// Outbox, webhooks and imports. Pure constants, no imports.

export const OUTBOX_KINDS = ['email', 'webhook'] as const;
export type OutboxKind = (typeof OUTBOX_KINDS)[number];

export const OUTBOX_STATUSES = ['queued', 'sending', 'sent', 'failed', 'cancelled'] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

export const WEBHOOK_EVENTS = [
  'consent.changed',
  'customer.erased',
  'block.changed',
  'privacy_request.updated',
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

export const IMPORT_JOB_STATUSES = ['pending', 'running', 'done', 'failed'] as const;
export type ImportJobStatus = (typeof IMPORT_JOB_STATUSES)[number];
