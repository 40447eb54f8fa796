import { and, asc, desc, eq, gt, or, sql } from 'drizzle-orm';
import { getDb } from '../client';
import { customers, events } from '../schema';

/** How far back the pickers look: recent data names what is in use, and reading it stays cheap. */
const RECENT_CUSTOMERS = 500;
const RECENT_EVENTS = 20_000;
const MAX_NAMES = 200;

/** Attribute names of the most recently created customers, most common first. */
export async function recentAttributeNames(): Promise<string[]> {
  const rows = await getDb()
    .select({ attributes: customers.attributes })
    .from(customers)
    .orderBy(desc(customers.id))
    .limit(RECENT_CUSTOMERS)
    .all();
  const counts = new Map<string, number>();
  for (const row of rows) {
    for (const key of Object.keys(row.attributes ?? {})) counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, MAX_NAMES)
    .map(([key]) => key);
}

/** Event names among the most recent events, most common first (an index range on the primary key). */
export async function recentEventNames(): Promise<string[]> {
  const db = getDb();
  const newest = await db
    .select({ id: sql<number | null>`max(${events.id})` })
    .from(events)
    .get();
  const from = Math.max(0, Number(newest?.id ?? 0) - RECENT_EVENTS);
  const rows = await db
    .select({ name: events.name, uses: sql<number>`count(*)` })
    .from(events)
    .where(gt(events.id, from))
    .groupBy(events.name)
    .orderBy(desc(sql`count(*)`), events.name)
    .limit(MAX_NAMES)
    .all();
  return rows.map((row) => row.name);
}

export interface CustomerMatch {
  id: number;
  name: string;
  email: string | null;
}

/**
 * Active customers for a picker: by id, by the start of the address, or by a part of the name.
 * Case-insensitive on both stores (lower() on both sides; LIKE ignores case on SQLite only).
 */
export async function searchActiveCustomers(query: string, limit: number): Promise<CustomerMatch[]> {
  const text = query
    .trim()
    .toLowerCase()
    .replace(/[%_\\]/g, '');
  const numeric = /^\d{1,12}$/.test(text) ? Number(text) : -1;
  return await getDb()
    .select({ id: customers.id, name: customers.name, email: customers.email })
    .from(customers)
    .where(
      and(
        eq(customers.status, 'active'),
        text
          ? or(
              eq(customers.id, numeric),
              sql`lower(${customers.email}) LIKE ${`${text}%`}`,
              sql`lower(${customers.name}) LIKE ${`%${text}%`}`,
            )
          : undefined,
      ),
    )
    .orderBy(asc(customers.id))
    .limit(limit)
    .all();
}
