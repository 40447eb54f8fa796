import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import { activeTx, handleOf, type Db } from '../handles';

/** One value in COPY's text format: `\N` for null; backslash, tab, newline and return escaped. */
export function copyField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'number') return String(value);
  return /[\\\t\n\r]/.test(value) ? value.replace(/[\\\t\n\r]/g, escapeChar) : value;
}

const escapeChar = (char: string) =>
  char === '\\' ? '\\\\' : char === '\t' ? '\\t' : char === '\n' ? '\\n' : '\\r';

/**
 * `COPY table (columns) FROM STDIN` of `rows` on the connection of the transaction open on `db`
 * (PostgreSQL only; outside a transaction it refuses, so a failed COPY always rolls back with its
 * caller's work). Streams about 64 KiB at a time; resolves with the rows COPY wrote. COPY is
 * all-or-nothing: one row that violates a constraint fails the whole statement.
 */
export async function copyRowsIn(
  db: Db,
  table: string,
  columns: readonly string[],
  rows: Iterable<readonly (string | number | null | undefined)[]>,
): Promise<number> {
  const client = activeTx(handleOf(db))?.client;
  if (!client) throw new Error('copyRowsIn runs inside a PostgreSQL transaction');
  function* chunks() {
    let chunk = '';
    for (const row of rows) {
      for (let i = 0; i < row.length; i++) chunk += (i ? '\t' : '') + copyField(row[i]);
      chunk += '\n';
      if (chunk.length >= 65536) {
        yield chunk;
        chunk = '';
      }
    }
    if (chunk) yield chunk;
  }
  const copy = client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN`));
  await pipeline(Readable.from(chunks()), copy);
  return copy.rowCount;
}
