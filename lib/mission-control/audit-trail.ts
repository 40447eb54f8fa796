import { z } from 'zod';
import { searchAudit, type AuditSearch, type AuditTrailRow } from '@/db/store/audit';
import { csvLine } from './csv';
import { AUDIT_ACTOR_TYPES } from '@/lib/vocabulary';

/**
 * The audit trail people can read (`/audit`, admins and compliance): who (staff name or API key
 * name), what, on which object, from where (ui or api, the client's network, the request id), when.
 * Entries hold ids, never personal data; names are read from the staff and key tables when shown.
 */
export const auditFilterSchema = z.object({
  actor: z.enum(AUDIT_ACTOR_TYPES).optional().catch(undefined),
  actorId: z.string().trim().max(40).optional().catch(undefined),
  action: z.string().trim().max(100).optional().catch(undefined),
  targetType: z.string().trim().max(60).optional().catch(undefined),
  targetId: z.string().trim().max(60).optional().catch(undefined),
  from: z.iso.date().optional().catch(undefined),
  to: z.iso.date().optional().catch(undefined),
  before: z.coerce.number().int().positive().optional().catch(undefined),
});
export type AuditFilter = z.infer<typeof auditFilterSchema>;

export function parseAuditFilter(
  params: URLSearchParams | Record<string, string | string[] | undefined>,
): AuditFilter {
  const entries =
    params instanceof URLSearchParams
      ? Object.fromEntries(params)
      : Object.fromEntries(
          Object.entries(params).map(([key, value]) => [key, Array.isArray(value) ? value[0] : value]),
        );
  const cleaned = Object.fromEntries(Object.entries(entries).filter(([, value]) => value !== ''));
  return auditFilterSchema.parse(cleaned);
}

function search(filter: AuditFilter, limit: number): AuditSearch {
  const day = 24 * 60 * 60 * 1000;
  return {
    actorType: filter.actor,
    actorId: filter.actorId || undefined,
    action: filter.action || undefined,
    targetType: filter.targetType || undefined,
    targetId: filter.targetId || undefined,
    from: filter.from ? new Date(`${filter.from}T00:00:00Z`) : undefined,
    to: filter.to ? new Date(new Date(`${filter.to}T00:00:00Z`).getTime() + day) : undefined,
    beforeId: filter.before,
    limit,
  };
}

export const AUDIT_PAGE_SIZE = 100;

export async function auditPage(
  filter: AuditFilter,
): Promise<{ rows: AuditTrailRow[]; nextBefore?: number }> {
  const rows = await searchAudit(search(filter, AUDIT_PAGE_SIZE + 1));
  const more = rows.length > AUDIT_PAGE_SIZE;
  const page = rows.slice(0, AUDIT_PAGE_SIZE);
  return { rows: page, nextBefore: more ? page[page.length - 1]?.id : undefined };
}

export function actorLabel(row: AuditTrailRow): string {
  if (row.actorType === 'user') return row.actorName ? row.actorName : `staff #${row.actorId ?? '?'}`;
  if (row.actorType === 'api_key') return `API key ${row.actorName ?? `#${row.actorId ?? '?'}`}`;
  if (row.actorType === 'customer') return `customer #${row.actorId ?? '?'}`;
  return 'system';
}

export function whereFrom(row: AuditTrailRow): string {
  const details = row.details ?? {};
  const via = typeof details.via === 'string' ? details.via : row.actorType === 'system' ? 'worker' : '';
  const network = typeof details.network === 'string' ? details.network : '';
  return [via, network].filter(Boolean).join(', ');
}

/** Details without the fields shown in their own columns. */
export function otherDetails(row: AuditTrailRow): string {
  const rest = { ...(row.details ?? {}) };
  for (const key of ['via', 'network', 'requestId']) delete rest[key];
  return Object.keys(rest).length ? JSON.stringify(rest) : '';
}

const CSV_HEADER = [
  'id',
  'at',
  'actor_type',
  'actor_id',
  'actor',
  'action',
  'target_type',
  'target_id',
  'via',
  'network',
  'request_id',
  'details',
];

/** The filtered trail as CSV (up to 10,000 entries per export, newest first). */
export async function auditCsv(filter: AuditFilter): Promise<string> {
  const rows = await searchAudit(search(filter, 10_000));
  let text = csvLine(CSV_HEADER);
  for (const row of rows) {
    const details = row.details ?? {};
    text += csvLine([
      row.id,
      new Date(row.at).toISOString(),
      row.actorType,
      row.actorId,
      actorLabel(row),
      row.action,
      row.targetType,
      row.targetId,
      details.via ?? '',
      details.network ?? '',
      details.requestId ?? '',
      otherDetails(row),
    ]);
  }
  return text;
}
