import { dialectOf, type Db } from './client';

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
