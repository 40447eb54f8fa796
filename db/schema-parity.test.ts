import { describe, expect, it } from 'vitest';
import { is } from 'drizzle-orm';
import { SQLiteTable, getTableConfig as sqliteTableConfig } from 'drizzle-orm/sqlite-core';
import { PgTable, getTableConfig as pgTableConfig } from 'drizzle-orm/pg-core';
import * as sqliteSchema from './schema';
import * as pgSchema from './pg/schema';

type Shape = Map<
  string,
  { columns: Map<string, { notNull: boolean; primary: boolean }>; indexes: Set<string> }
>;

/** Tables by SQL name, each with its columns (SQL names) and index names. */
function sqliteShape(): Shape {
  const shape: Shape = new Map();
  for (const value of Object.values(sqliteSchema)) {
    if (!is(value, SQLiteTable)) continue;
    const config = sqliteTableConfig(value);
    const primaryColumns = new Set(
      config.primaryKeys.flatMap((key) => key.columns.map((column) => column.name)),
    );
    shape.set(config.name, {
      columns: new Map(
        config.columns.map((column) => [
          column.name,
          { notNull: column.notNull, primary: column.primary || primaryColumns.has(column.name) },
        ]),
      ),
      indexes: new Set(config.indexes.map((index) => index.config.name)),
    });
  }
  return shape;
}

function pgShape(): Shape {
  const shape: Shape = new Map();
  for (const value of Object.values(pgSchema)) {
    if (!is(value, PgTable)) continue;
    const config = pgTableConfig(value);
    const primaryColumns = new Set(
      config.primaryKeys.flatMap((key) => key.columns.map((column) => column.name)),
    );
    shape.set(config.name, {
      columns: new Map(
        config.columns.map((column) => [
          column.name,
          { notNull: column.notNull, primary: column.primary || primaryColumns.has(column.name) },
        ]),
      ),
      indexes: new Set(config.indexes.map((index) => index.config.name ?? '(unnamed)')),
    });
  }
  return shape;
}

const sqlite = sqliteShape();
const pg = pgShape();

describe('schema parity: SQLite (db/schema) and PostgreSQL (db/pg/schema)', () => {
  it('both dialects define tables at all', () => {
    expect(sqlite.size).toBeGreaterThan(10);
    expect(pg.size).toBeGreaterThan(10);
  });

  it('have the same tables', () => {
    const onlySqlite = [...sqlite.keys()].filter((name) => !pg.has(name)).sort();
    const onlyPg = [...pg.keys()].filter((name) => !sqlite.has(name)).sort();
    expect({ onlySqlite, onlyPg }).toEqual({ onlySqlite: [], onlyPg: [] });
  });

  it('have the same columns, nullability and primary keys in every table', () => {
    const differences: string[] = [];
    for (const [table, sqliteTable] of sqlite) {
      const pgTable = pg.get(table);
      if (!pgTable) continue;
      for (const [column, meta] of sqliteTable.columns) {
        const other = pgTable.columns.get(column);
        if (!other) differences.push(`${table}.${column} only in SQLite`);
        else if (other.notNull !== meta.notNull) differences.push(`${table}.${column} nullability differs`);
        else if (other.primary !== meta.primary) differences.push(`${table}.${column} primary key differs`);
      }
      for (const column of pgTable.columns.keys()) {
        if (!sqliteTable.columns.has(column)) differences.push(`${table}.${column} only in PostgreSQL`);
      }
    }
    expect(differences).toEqual([]);
  });

  it('have the same named indexes', () => {
    const differences: string[] = [];
    for (const [table, sqliteTable] of sqlite) {
      const pgTable = pg.get(table);
      if (!pgTable) continue;
      for (const index of sqliteTable.indexes)
        if (!pgTable.indexes.has(index)) differences.push(`${index} only in SQLite`);
      for (const index of pgTable.indexes)
        if (!sqliteTable.indexes.has(index)) differences.push(`${index} only in PostgreSQL`);
    }
    expect(differences).toEqual([]);
  });
});
