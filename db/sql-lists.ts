import { dialectOf, sqlAll, type Db } from './client';

/**
 * The members of a JSON array parameter as a subquery, for `x IN (…)` with any number of values
 * through one prepared statement: SQLite `json_each`, PostgreSQL `jsonb_array_elements_text`.
 * `placeholder` is the parameter (`?` or `@name`) that carries `JSON.stringify(values)`.
 *
 *   `WHERE id IN ${jsonList(db, '?', 'integer')}`
 */
export function jsonList(db: Db, placeholder = '?', type: 'integer' | 'text' = 'integer'): string {
  if (dialectOf(db) === 'sqlite') return `(SELECT value FROM json_each(${placeholder}))`;
  const value = type === 'integer' ? 'value::bigint' : 'value';
  return `(SELECT ${value} FROM jsonb_array_elements_text(CAST(${placeholder} AS jsonb)))`;
}

/**
 * The customer ids a `SELECT DISTINCT customer_id … AND customer_id IN <list>` query finds among
 * `customerIds`, one query per 5,000 ids. `query` gets the list subquery to end with; the ids'
 * JSON is the last parameter, after `params`.
 */
export async function customerIdsAmong(
  db: Db,
  customerIds: readonly number[],
  query: (list: string) => string,
  params: readonly unknown[] = [],
): Promise<number[]> {
  const found: number[] = [];
  for (let i = 0; i < customerIds.length; i += 5000) {
    const rows = await sqlAll<{ customer_id: number }>(db, query(jsonList(db)), [
      ...params,
      JSON.stringify(customerIds.slice(i, i + 5000)),
    ]);
    found.push(...rows.map((row) => Number(row.customer_id)));
  }
  return found;
}
