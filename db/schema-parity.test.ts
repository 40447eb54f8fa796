import { describe, expect, it } from 'vitest';
import { generateDrizzleJson, generateSQLiteDrizzleJson } from 'drizzle-kit/api';
import * as sqliteSchema from './schema';
import * as pgSchema from './pg/schema';

// The DDL drizzle-kit derives for each dialect (the same JSON its migrations are diffed against;
// db/schema-generated.test.ts proves the migrations are current), reduced to what must agree.

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** How each PostgreSQL type stores a SQLite type with the same values (db/schema/_columns.ts). */
const STORAGE: Record<string, string[]> = {
  integer: ['integer', 'bigint', 'smallint'],
  text: ['text', 'jsonb'],
};

function normalDefault(value: unknown): unknown {
  if (value === undefined) return undefined;
  if (value === true || value === false) return Number(value); // booleans are 0/1 on both
  if (typeof value === 'string') return value.replace(/::jsonb$/, '');
  return value;
}

type Facts = Map<string, string>;

/** One line per fact a table has ("column x: integer not null default 0", "index …"). */
function tableFacts(table: Json, dialect: 'sqlite' | 'pg'): Facts {
  const facts: Facts = new Map();
  for (const column of Object.values<Json>(table.columns)) {
    const type =
      dialect === 'sqlite' ? column.type : Object.keys(STORAGE).find((t) => STORAGE[t].includes(column.type));
    const key = dialect === 'sqlite' ? Boolean(column.autoincrement) : Boolean(column.identity);
    facts.set(
      `column ${column.name}`,
      [
        type ?? `unmapped ${column.type}`,
        column.notNull ? 'not null' : 'null',
        column.primaryKey ? 'primary key' : '',
        key ? 'generated key' : '',
        column.default === undefined ? '' : `default ${JSON.stringify(normalDefault(column.default))}`,
      ]
        .filter(Boolean)
        .join(' '),
    );
  }
  for (const index of Object.values<Json>(table.indexes)) {
    const columns = index.columns.map((column: string | Json) =>
      typeof column === 'string' ? column : column.expression,
    );
    // A unique column is a unique index on SQLite and a unique constraint on PostgreSQL.
    const kind = index.isUnique ? 'unique' : 'index';
    facts.set(`${kind} ${index.name}`, `(${columns.join(', ')}) where ${index.where ?? '-'}`);
  }
  for (const unique of Object.values<Json>(table.uniqueConstraints ?? {}))
    facts.set(`unique ${unique.name}`, `(${unique.columns.join(', ')}) where -`);
  for (const key of Object.values<Json>(table.compositePrimaryKeys))
    facts.set(`primary key ${key.name}`, `(${key.columns.join(', ')})`);
  for (const foreignKey of Object.values<Json>(table.foreignKeys))
    facts.set(
      `foreign key ${foreignKey.name}`,
      `(${foreignKey.columnsFrom.join(', ')}) -> ${foreignKey.tableTo}(${foreignKey.columnsTo.join(', ')}) on delete ${foreignKey.onDelete ?? 'no action'} on update ${foreignKey.onUpdate ?? 'no action'}`,
    );
  for (const check of Object.values<Json>(table.checkConstraints ?? {}))
    facts.set(`check ${check.name}`, check.value);
  return facts;
}

function schemaFacts(snapshot: Json, dialect: 'sqlite' | 'pg'): Map<string, Facts> {
  const tables = new Map<string, Facts>();
  for (const table of Object.values<Json>(snapshot.tables))
    tables.set(table.name, tableFacts(table, dialect));
  return tables;
}

/** Every fact that one dialect has and the other has differently or not at all. */
function differences(sqlite: Map<string, Facts>, pg: Map<string, Facts>): string[] {
  const found: string[] = [];
  for (const name of new Set([...sqlite.keys(), ...pg.keys()])) {
    const left = sqlite.get(name);
    const right = pg.get(name);
    if (!left || !right) {
      found.push(`table ${name} only in ${left ? 'SQLite' : 'PostgreSQL'}`);
      continue;
    }
    for (const fact of new Set([...left.keys(), ...right.keys()])) {
      if (left.get(fact) !== right.get(fact))
        found.push(
          `${name} ${fact}: SQLite ${left.get(fact) ?? '(none)'} / PostgreSQL ${right.get(fact) ?? '(none)'}`,
        );
    }
  }
  return found.sort();
}

async function snapshots() {
  return {
    sqlite: (await generateSQLiteDrizzleJson(sqliteSchema as Record<string, unknown>)) as Json,
    pg: generateDrizzleJson(pgSchema as Record<string, unknown>) as Json,
  };
}

describe('schema parity: the DDL of SQLite (db/schema) and PostgreSQL (db/pg/schema)', () => {
  it('both dialects define tables at all', async () => {
    const { sqlite, pg } = await snapshots();
    expect(Object.keys(sqlite.tables).length).toBeGreaterThan(10);
    expect(Object.keys(pg.tables).length).toBe(Object.keys(sqlite.tables).length);
  });

  it('agree on tables, column types, nullability, defaults, keys, indexes, uniqueness and foreign keys', async () => {
    const { sqlite, pg } = await snapshots();
    expect(differences(schemaFacts(sqlite, 'sqlite'), schemaFacts(pg, 'pg'))).toEqual([]);
  });

  it('would report a drifted default, type, index, unique column or foreign key', async () => {
    const { sqlite, pg } = await snapshots();
    const drifted = structuredClone(pg);
    const users = drifted.tables['public.users'];
    users.columns.name.default = "'x'";
    users.columns.email.type = 'integer';
    delete users.uniqueConstraints.users_email_unique;
    drifted.tables['public.journey_versions'].indexes.journey_versions_one_draft.where = undefined;
    drifted.tables['public.themes'].foreignKeys.themes_purpose_id_purposes_id_fk.onDelete = 'cascade';
    expect(differences(schemaFacts(sqlite, 'sqlite'), schemaFacts(drifted, 'pg'))).toEqual([
      'journey_versions unique journey_versions_one_draft: SQLite (journey_id) where is_draft = 1 / PostgreSQL (journey_id) where -',
      'themes foreign key themes_purpose_id_purposes_id_fk: SQLite (purpose_id) -> purposes(id) on delete no action on update no action / PostgreSQL (purpose_id) -> purposes(id) on delete cascade on update no action',
      'users column email: SQLite text not null / PostgreSQL integer not null',
      `users column name: SQLite text not null default "''" / PostgreSQL text not null default "'x'"`,
      'users unique users_email_unique: SQLite (email) where - / PostgreSQL (none)',
    ]);
  });
});
