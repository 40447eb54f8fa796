import { z } from 'zod';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

/** Opaque cursor: the last id of the previous page, base64url so clients do not build it themselves. */
export function encodeCursor(lastId: number): string {
  return Buffer.from(`id:${lastId}`, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string | null | undefined): number | null {
  if (!cursor) return null;
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const match = /^id:(\d{1,15})$/.exec(text);
  return match ? Number(match[1]) : null;
}

export const pageQuerySchema = z.object({
  cursor: z
    .string()
    .optional()
    .refine((value) => value === undefined || decodeCursor(value) !== null, 'Unknown cursor'),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE),
});
export type PageQuery = { afterId: number | null; limit: number };

export function parsePageQuery(
  url: URL,
): { ok: true; page: PageQuery } | { ok: false; field: string; message: string } {
  const parsed = pageQuerySchema.safeParse({
    cursor: url.searchParams.get('cursor') ?? undefined,
    limit: url.searchParams.get('limit') ?? undefined,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.map(String).join('.') || 'cursor';
    return { ok: false, field, message: `${field}: ${issue?.message ?? 'invalid'}` };
  }
  return { ok: true, page: { afterId: decodeCursor(parsed.data.cursor), limit: parsed.data.limit } };
}

/** Fetch limit + 1 rows; this trims the extra one and says whether there is a next page. */
export function toPage<T extends { id: number }, D>(rows: T[], limit: number, map: (row: T) => D) {
  const hasMore = rows.length > limit;
  const items = hasMore ? rows.slice(0, limit) : rows;
  const last = items[items.length - 1];
  return { data: items.map(map), nextCursor: hasMore && last ? encodeCursor(last.id) : null };
}
