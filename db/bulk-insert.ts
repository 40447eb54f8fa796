import { dialectOf, sqlAll, sqlInsertIds, type Db } from './client';
import { copyRowsIn } from './pg/copy-in';

// Many rows into one table, in the order given, inside the caller's transaction, on both stores:
// SQLite steps one prepared one-row INSERT per row (cheaper than a multi-row VALUES, see
// sqlInsertIds); PostgreSQL takes the rows as one array per column through `unnest … WITH
// ORDINALITY`, one fixed statement per 2,000 rows whatever the count, or by COPY when nothing
// needs to come back.

/** A column of a bulk insert: its name and its PostgreSQL type (JSON columns take JSON text). */
export type BulkColumn = readonly [name: string, type: 'integer' | 'bigint' | 'text' | 'jsonb'];
/** A row's values in the order of its columns: instants as milliseconds, JSON as text. */
export type BulkRow = readonly (string | number | null)[];

/**
 * PostgreSQL rows per statement. Each column travels as one array parameter, so the
 * bound-variable limit (65,535) never applies; the chunk bounds one statement's size.
 */
const ROWS_PER_STATEMENT = 2000;

/**
 * Inserts the rows and answers their new ids in the order of the rows. PostgreSQL's RETURNING
 * promises no order, so its rows are matched back through `keyColumn`, a column whose value is
 * unique within the batch (e.g. a hash).
 */
export async function insertRowsReturningIds(
  db: Db,
  table: string,
  columns: readonly BulkColumn[],
  rows: readonly BulkRow[],
  keyColumn: string,
): Promise<number[]> {
  const key = columns.findIndex(([name]) => name === keyColumn);
  if (key < 0) throw new Error(`insertRowsReturningIds: ${keyColumn} is not a column of the rows`);
  if (dialectOf(db) === 'sqlite')
    return (await sqlInsertIds(db, oneRowInsert(table, columns), rows)) as number[];
  const ids: number[] = [];
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
    const chunk = rows.slice(i, i + ROWS_PER_STATEMENT);
    const returned = await sqlAll<Record<string, unknown>>(
      db,
      `${unnestInsert(table, columns)} RETURNING id, ${keyColumn} AS key`,
      arraysOf(columns, chunk),
    );
    const idOfKey = new Map(returned.map((row) => [row.key, Number(row.id)]));
    for (const row of chunk) ids.push(idOfKey.get(row[key])!);
  }
  return ids;
}

/**
 * Inserts the rows; nothing comes back. PostgreSQL: by COPY, which runs only inside the caller's
 * transaction (so a failure rolls back with its work); 12,000 receipts of about 1.5 kB took 2.0 s
 * through unnest arrays, a fraction of that by COPY (bench:ingest --store postgres, load ~6.5).
 */
export async function insertRows(
  db: Db,
  table: string,
  columns: readonly BulkColumn[],
  rows: readonly BulkRow[],
): Promise<void> {
  if (dialectOf(db) === 'sqlite') await sqlInsertIds(db, oneRowInsert(table, columns), rows);
  else
    await copyRowsIn(
      db,
      table,
      columns.map(([name]) => name),
      rows,
    );
}

function oneRowInsert(table: string, columns: readonly BulkColumn[]): string {
  return `INSERT INTO ${table} (${columns.map(([name]) => name).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`;
}

function unnestInsert(table: string, columns: readonly BulkColumn[]): string {
  const names = columns.map(([name]) => name);
  const arrays = columns.map(([, type]) => `?::${type === 'jsonb' ? 'text' : type}[]`);
  const values = columns.map(([name, type]) => (type === 'jsonb' ? `${name}::jsonb` : name));
  return `INSERT INTO ${table} (${names.join(', ')})
    SELECT ${values.join(', ')} FROM unnest(${arrays.join(', ')})
      WITH ORDINALITY AS batch (${names.join(', ')}, batch_position)
    ORDER BY batch_position`;
}

function arraysOf(columns: readonly BulkColumn[], rows: readonly BulkRow[]): unknown[] {
  return columns.map((_, column) => rows.map((row) => row[column]));
}
