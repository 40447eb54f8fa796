import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  generateDrizzleJson,
  generateMigration,
  generateSQLiteDrizzleJson,
  generateSQLiteMigration,
} from 'drizzle-kit/api';
import * as sqliteSchema from './schema';
import * as pgSchema from './pg/schema';
import { is } from 'drizzle-orm';
import { SQLiteTable } from 'drizzle-orm/sqlite-core';
import { declaredTables, stalePgSchemaFiles } from './schema-codegen';

/** The snapshot drizzle-kit wrote with the newest migration of a dialect. */
function latestSnapshot(dialect: 'sqlite' | 'pg') {
  const dir = path.join(__dirname, 'migrations', dialect, 'meta');
  const journal = JSON.parse(fs.readFileSync(path.join(dir, '_journal.json'), 'utf8')) as {
    entries: { idx: number }[];
  };
  const last = journal.entries.at(-1)!.idx;
  return JSON.parse(
    fs.readFileSync(path.join(dir, `${String(last).padStart(4, '0')}_snapshot.json`), 'utf8'),
  );
}

// Part of `npm test`: the schema is declared once (db/schema) and everything else is derived.
describe('generated schema and migrations are up to date with db/schema', () => {
  it('db/schema/index.ts exports every table of every db/schema module', async () => {
    const inModules = [...(await declaredTables()).values()].flatMap((tables) => [...tables.values()]);
    const exported = new Set<unknown>(Object.values(sqliteSchema).filter((value) => is(value, SQLiteTable)));
    expect(inModules.length).toBeGreaterThan(20);
    expect(inModules.filter((table) => !exported.has(table))).toEqual([]);
  });

  it('db/pg/schema is exactly what `npm run db:schema` writes', async () => {
    expect(await stalePgSchemaFiles()).toEqual([]);
  }, 60_000);

  it('the SQLite migrations create the declared schema (`npm run db:generate` would add nothing)', async () => {
    const current = await generateSQLiteDrizzleJson(sqliteSchema as Record<string, unknown>);
    expect(await generateSQLiteMigration(latestSnapshot('sqlite'), current)).toEqual([]);
  });

  it('the PostgreSQL migrations create the declared schema (`npm run db:generate:pg` would add nothing)', async () => {
    const current = generateDrizzleJson(pgSchema as Record<string, unknown>);
    expect(await generateMigration(latestSnapshot('pg'), current)).toEqual([]);
  });
});
