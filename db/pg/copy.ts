import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { is } from 'drizzle-orm';
import { SQLiteTable, getTableConfig as sqliteTableConfig } from 'drizzle-orm/sqlite-core';
import { PgTable, getTableConfig as pgTableConfig } from 'drizzle-orm/pg-core';
import * as sqliteSchema from '../schema';
import * as pgSchema from './schema';
import { closeDatabase, openDatabase } from '../client';
import { migratePostgres } from './migrate';
import { sqlitePathFromUrl } from '@/lib/config/env';

/** Kept by triggers on the target (they fire as customers are copied); compared afterwards instead of copied. */
const DERIVED_BY_TRIGGER = new Set(['customer_status_counts']);
/** Cache-invalidation counters seeded by the migrations and bumped by triggers: any value works, so not copied. */
const MAINTAINED_BY_TRIGGER = new Set(['change_versions']);
const skipped = (table: string) => DERIVED_BY_TRIGGER.has(table) || MAINTAINED_BY_TRIGGER.has(table);

type Column = { name: string; pgType: string };
type TablePlan = { name: string; columns: Column[]; hasIdentity: boolean };

/** Tables in an order where every foreign key points to a table already copied. */
export function copyPlan(): TablePlan[] {
  const pgTables = new Map<string, PgTable>();
  for (const value of Object.values(pgSchema))
    if (is(value, PgTable)) pgTables.set(pgTableConfig(value).name, value);
  const sqliteTables: SQLiteTable[] = [];
  for (const value of Object.values(sqliteSchema) as unknown[])
    if (is(value, SQLiteTable)) sqliteTables.push(value);
  const dependsOn = new Map<string, Set<string>>();
  for (const table of sqliteTables) {
    const config = sqliteTableConfig(table);
    dependsOn.set(
      config.name,
      new Set(
        config.foreignKeys
          .map((key) => sqliteTableConfig(key.reference().foreignTable).name)
          .filter((name) => name !== config.name),
      ),
    );
  }
  const ordered: string[] = [];
  const visit = (name: string, stack: Set<string>) => {
    if (ordered.includes(name)) return;
    if (stack.has(name)) throw new Error(`foreign key cycle through ${name}`);
    stack.add(name);
    for (const parent of dependsOn.get(name) ?? []) visit(parent, stack);
    stack.delete(name);
    ordered.push(name);
  };
  for (const name of [...dependsOn.keys()].sort()) visit(name, new Set());

  return ordered.map((name) => {
    const pgTable = pgTables.get(name);
    if (!pgTable)
      throw new Error(
        `table ${name} has no PostgreSQL counterpart (db/pg/schema is stale: run npm run db:schema)`,
      );
    const config = pgTableConfig(pgTable);
    return {
      name,
      columns: config.columns.map((column) => ({ name: column.name, pgType: column.getSQLType() })),
      hasIdentity: config.columns.some(
        (column) => column.name === 'id' && column.primary && column.getSQLType() === 'integer',
      ),
    };
  });
}

const quote = (identifier: string) => `"${identifier.replace(/"/g, '""')}"`;

/**
 * Values move as SQLite stores them: booleans are 0/1 smallints on both, JSON text casts to jsonb,
 * millisecond timestamps are bigints on both.
 */
function convert(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return value.toString();
  if (Buffer.isBuffer(value)) throw new Error('binary columns are not supported by db:copy');
  return value;
}

export interface CopyReport<V> {
  tables: { name: string; rows: number }[];
  /** What `verify` found on the copy (the caller passes the ledger check: db/ knows no domain). */
  ledger: V;
}

/**
 * Copies a whole workspace from a SQLite file into an empty PostgreSQL database: migrates the
 * target, copies every table in foreign-key order and id (rowid) order in batches, inside one
 * PostgreSQL transaction (a failed copy leaves nothing behind) read from one SQLite snapshot,
 * resets the identity sequences, checks row counts, and finally verifies the consent ledger's
 * hash chain on the copy. The ledger key in the data dir must be the one the source was written with.
 */
export async function copySqliteToPostgres<V extends { message: string }>(options: {
  from: string;
  to: string;
  batchSize?: number;
  log?: (line: string) => void;
  verify: (copy: ReturnType<typeof openDatabase>) => Promise<V>;
}): Promise<CopyReport<V>> {
  const log = options.log ?? (() => undefined);
  const batchSize = options.batchSize ?? 1000;
  const file = sqlitePathFromUrl(options.from);
  if (!fs.existsSync(file))
    throw new Error(`no SQLite database at ${path.relative(process.cwd(), file) || file}`);
  const plan = copyPlan();

  await migratePostgres(options.to);
  const source = new Database(file, { readonly: true, fileMustExist: true });
  const target = openDatabase(options.to);
  const pool = target.pool!;
  const tables: CopyReport<V>['tables'] = [];
  try {
    const client = await pool.connect();
    try {
      for (const table of plan) {
        if (skipped(table.name)) continue;
        const existing = await client.query<{ any: boolean }>(
          `SELECT EXISTS (SELECT 1 FROM ${quote(table.name)}) AS any`,
        );
        if (existing.rows[0].any)
          throw new Error(`target table ${table.name} is not empty: db:copy only fills an empty database`);
      }
      source.prepare('BEGIN').run(); // one read snapshot of the whole source
      await client.query('BEGIN');
      for (const table of plan) {
        if (skipped(table.name)) continue;
        const sourceColumns = new Set(
          (source.prepare(`PRAGMA table_info(${quote(table.name)})`).all() as { name: string }[]).map(
            (c) => c.name,
          ),
        );
        const missing = table.columns.filter((column) => !sourceColumns.has(column.name));
        if (missing.length)
          throw new Error(
            `source table ${table.name} lacks ${missing.map((c) => c.name).join(', ')}: migrate it first`,
          );
        const columnList = table.columns.map((column) => quote(column.name)).join(', ');
        const read = source.prepare(
          `SELECT rowid AS __rowid, ${columnList} FROM ${quote(table.name)} WHERE rowid > ? ORDER BY rowid LIMIT ?`,
        );
        const insert = `INSERT INTO ${quote(table.name)} (${columnList})
          SELECT * FROM unnest(${table.columns.map((column, i) => `$${i + 1}::${column.pgType}[]`).join(', ')})`;
        let after = 0;
        let copied = 0;
        for (;;) {
          const rows = read.all(after, batchSize) as Record<string, unknown>[];
          if (rows.length === 0) break;
          after = Number(rows[rows.length - 1].__rowid);
          await client.query(
            insert,
            table.columns.map((column) => rows.map((row) => convert(row[column.name]))),
          );
          copied += rows.length;
        }
        if (table.hasIdentity) {
          await client.query(
            `SELECT setval(pg_get_serial_sequence($1, 'id'), coalesce((SELECT max(id) FROM ${quote(table.name)}), 1),
                           (SELECT max(id) FROM ${quote(table.name)}) IS NOT NULL)`,
            [table.name],
          );
        }
        tables.push({ name: table.name, rows: copied });
        log(`${table.name}: ${copied} rows`);
      }

      // Row counts, and the trigger-kept tables against the source's.
      for (const table of plan) {
        if (MAINTAINED_BY_TRIGGER.has(table.name)) continue;
        const expected = (
          source.prepare(`SELECT * FROM ${quote(table.name)}`).all() as Record<string, unknown>[]
        ).length;
        const actual = Number(
          (await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${quote(table.name)}`)).rows[0].n,
        );
        if (DERIVED_BY_TRIGGER.has(table.name)) {
          const want = JSON.stringify(
            source.prepare(`SELECT * FROM ${quote(table.name)} WHERE count <> 0 ORDER BY 1`).all(),
          );
          const got = JSON.stringify(
            (await client.query(`SELECT * FROM ${quote(table.name)} WHERE count <> 0 ORDER BY 1`)).rows,
          );
          if (want !== got)
            throw new Error(`${table.name} on the copy (${got}) differs from the source (${want})`);
        } else if (expected !== actual) {
          throw new Error(`${table.name}: ${expected} rows in the source, ${actual} on the copy`);
        }
      }
      await client.query('COMMIT');
      source.prepare('COMMIT').run();
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      if (source.inTransaction) source.prepare('ROLLBACK').run();
      throw error;
    } finally {
      client.release();
    }
    const ledger = await options.verify(target);
    log(`ledger: ${ledger.message}`);
    return { tables, ledger };
  } finally {
    source.close();
    await closeDatabase(options.to);
  }
}
