// Writes the PostgreSQL schema (db/pg/schema/*.ts, drizzle pg-core) from the one schema
// declaration (db/schema/*.ts, drizzle sqlite-core built with the helpers of db/schema/_columns.ts).
// `npm run db:schema` writes the files; db/schema-generated.test.ts (part of `npm test`) fails
// when they differ from what this would write. drizzle-kit then derives each dialect's DDL from
// its schema (drizzle.config.ts, drizzle.pg.config.ts).
import fs from 'node:fs';
import path from 'node:path';
import { getTableColumns, is, SQL, type Column } from 'drizzle-orm';
import { getTableConfig, SQLiteSyncDialect, SQLiteTable, type IndexColumn } from 'drizzle-orm/sqlite-core';
import { format, resolveConfig } from 'prettier';
import { pgHelperOf } from './schema/_columns';

const SCHEMA_DIR = path.join(__dirname, 'schema');
export const PG_SCHEMA_DIR = path.join(__dirname, 'pg', 'schema');
/** Modules of db/schema that hold no tables. */
const NOT_TABLE_MODULES = new Set(['_columns', 'index']);

type TableRef = { module: string; exportName: string };

/** The declaration's modules (file names without .ts), in a stable order. */
export function schemaModules(): string[] {
  return fs
    .readdirSync(SCHEMA_DIR)
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'))
    .map((file) => file.slice(0, -3))
    .filter((name) => !NOT_TABLE_MODULES.has(name))
    .sort();
}

/** Every table of the declaration, by module. */
export async function declaredTables(): Promise<Map<string, Map<string, SQLiteTable>>> {
  const byModule = new Map<string, Map<string, SQLiteTable>>();
  for (const name of schemaModules()) {
    const exports = (await import(path.join(SCHEMA_DIR, `${name}.ts`))) as Record<string, unknown>;
    // Sorted by export name: module namespaces list exports in different orders under tsx and vitest.
    const tables = new Map<string, SQLiteTable>();
    for (const exportName of Object.keys(exports).sort()) {
      const value = exports[exportName];
      if (is(value, SQLiteTable)) tables.set(exportName, value);
    }
    byModule.set(name, tables);
  }
  return byModule;
}

const dialect = new SQLiteSyncDialect();

function sqlText(value: SQL, where: string): string {
  const query = dialect.sqlToQuery(value);
  if (query.params.length > 0) throw new Error(`${where}: SQL with parameters cannot be generated`);
  if (query.sql.includes('`')) throw new Error(`${where}: SQL with a backtick cannot be generated`);
  return `sql\`${query.sql}\``;
}

function literal(value: unknown, where: string): string {
  if (is(value, SQL)) return sqlText(value, where);
  if (value === null || ['string', 'number'].includes(typeof value) || typeof value === 'object')
    return JSON.stringify(value);
  throw new Error(`${where}: default ${String(value)} cannot be generated`);
}

/** The pg-core expression of one column, with its modifiers. */
function columnExpression(
  tableName: string,
  column: Column,
  reference: string | undefined,
  helpers: Set<string>,
  core: Set<string>,
): string {
  const where = `${tableName}.${column.name}`;
  const helper = pgHelperOf(column);
  let expression: string;
  if (helper) {
    helpers.add(helper);
    expression = helper === 'id' || helper === 'createdAt' ? `${helper}()` : `${helper}('${column.name}')`;
  } else if (column.columnType === 'SQLiteInteger' || column.columnType === 'SQLiteText') {
    const kind = column.columnType === 'SQLiteInteger' ? 'integer' : 'text';
    core.add(kind);
    expression = `${kind}('${column.name}')`;
    if ((column as unknown as { autoIncrement?: boolean }).autoIncrement)
      throw new Error(`${where}: declare the surrogate key with id() from db/schema/_columns.ts`);
  } else {
    throw new Error(
      `${where}: ${column.columnType} has no PostgreSQL mapping; declare it with a helper of db/schema/_columns.ts`,
    );
  }
  // id() and createdAt() carry their own key, not-null and default.
  if (helper === 'id' || helper === 'createdAt') return expression;
  if (column.defaultFn || column.onUpdateFn)
    throw new Error(`${where}: $defaultFn/$onUpdate need a helper in db/schema/_columns.ts`);
  if (column.primary) expression += '.primaryKey()';
  if (column.notNull) expression += '.notNull()';
  if (column.hasDefault && column.default !== undefined) {
    // Booleans are 0/1 smallints on PostgreSQL (db/schema/_columns.ts).
    const value = typeof column.default === 'boolean' ? Number(column.default) : column.default;
    expression += `.default(${literal(value, where)})`;
  }
  if (column.isUnique) {
    const defaultName = `${tableName}_${column.name}_unique`;
    expression += column.uniqueName === defaultName ? '.unique()' : `.unique('${column.uniqueName}')`;
  }
  if (reference) expression += reference;
  return expression;
}

function generateModule(
  moduleName: string,
  tables: Map<string, SQLiteTable>,
  refs: Map<SQLiteTable, TableRef>,
): string {
  const helpers = new Set<string>();
  const core = new Set<string>(['pgTable']);
  const imports = new Map<string, Set<string>>();
  let usesSql = false;
  const blocks: string[] = [];

  for (const [exportName, table] of tables) {
    const config = getTableConfig(table);
    const keyOf = new Map<Column, string>();
    for (const [key, column] of Object.entries(getTableColumns(table))) keyOf.set(column, key);
    const columnKey = (column: IndexColumn | Column, where: string): string => {
      const key = keyOf.get(column as Column);
      if (!key) throw new Error(`${where}: index on an expression cannot be generated`);
      return `t.${key}`;
    };

    const references = new Map<string, string>();
    for (const foreignKey of config.foreignKeys) {
      const { columns, foreignColumns, foreignTable } = foreignKey.reference();
      const where = `${config.name} foreign key`;
      if (columns.length !== 1) throw new Error(`${where}: composite foreign keys cannot be generated`);
      const target = refs.get(foreignTable as SQLiteTable);
      if (!target) throw new Error(`${where}: references a table outside db/schema`);
      if (target.module !== moduleName) {
        const names = imports.get(target.module) ?? new Set();
        names.add(target.exportName);
        imports.set(target.module, names);
      }
      const targetKey = Object.entries(getTableColumns(foreignTable)).find(
        ([, column]) => column === foreignColumns[0],
      )?.[0];
      const actions = [
        foreignKey.onDelete && foreignKey.onDelete !== 'no action'
          ? `onDelete: '${foreignKey.onDelete}'`
          : '',
        foreignKey.onUpdate && foreignKey.onUpdate !== 'no action'
          ? `onUpdate: '${foreignKey.onUpdate}'`
          : '',
      ].filter(Boolean);
      references.set(
        columns[0].name,
        `.references(() => ${target.exportName}.${targetKey}${actions.length ? `, { ${actions.join(', ')} }` : ''})`,
      );
    }

    const columnLines = config.columns.map(
      (column) =>
        `${keyOf.get(column)}: ${columnExpression(config.name, column, references.get(column.name), helpers, core)},`,
    );

    const extras: string[] = [];
    for (const index of config.indexes) {
      const where = `index ${index.config.name}`;
      const kind = index.config.unique ? 'uniqueIndex' : 'index';
      core.add(kind);
      let expression = `${kind}('${index.config.name}').on(${index.config.columns.map((column) => columnKey(column, where)).join(', ')})`;
      if (index.config.where) {
        usesSql = true;
        expression += `.where(${sqlText(index.config.where, where)})`;
      }
      extras.push(expression);
    }
    for (const primaryKey of config.primaryKeys) {
      core.add('primaryKey');
      const columns = primaryKey.columns.map((column) => columnKey(column, `${config.name} primary key`));
      const name = primaryKey.name ? `name: '${primaryKey.name}', ` : '';
      extras.push(`primaryKey({ ${name}columns: [${columns.join(', ')}] })`);
    }
    for (const unique of config.uniqueConstraints) {
      core.add('unique');
      const columns = unique.columns.map((column) => columnKey(column, `${config.name} unique`));
      extras.push(`unique('${unique.getName()}').on(${columns.join(', ')})`);
    }
    if (config.checks.length > 0) throw new Error(`${config.name}: check constraints cannot be generated`);

    const extrasArgument = extras.length ? `, (t) => [${extras.join(', ')}]` : '';
    blocks.push(
      `export const ${exportName} = pgTable('${config.name}', {\n${columnLines.join('\n')}\n}${extrasArgument});`,
    );
  }

  const lines = [
    `// GENERATED by \`npm run db:schema\` from db/schema/${moduleName}.ts (db/schema-codegen.ts): do not edit.`,
    `import { ${[...core].sort().join(', ')} } from 'drizzle-orm/pg-core';`,
  ];
  if (usesSql) lines.push(`import { sql } from 'drizzle-orm';`);
  if (helpers.size) lines.push(`import { ${[...helpers].sort().join(', ')} } from './_columns';`);
  for (const [module, names] of [...imports].sort(([a], [b]) => a.localeCompare(b)))
    lines.push(`import { ${[...names].sort().join(', ')} } from './${module}';`);
  return `${lines.join('\n')}\n\n${blocks.join('\n\n')}\n`;
}

/** The generated files: absolute path -> formatted content. */
export async function generatePgSchemaFiles(): Promise<Map<string, string>> {
  const byModule = await declaredTables();
  const refs = new Map<SQLiteTable, TableRef>();
  for (const [module, tables] of byModule)
    for (const [exportName, table] of tables) refs.set(table, { module, exportName });

  const sources = new Map<string, string>();
  for (const [module, tables] of byModule) {
    if (tables.size === 0) continue;
    sources.set(path.join(PG_SCHEMA_DIR, `${module}.ts`), generateModule(module, tables, refs));
  }
  const modules = [...sources.keys()].map((file) => path.basename(file, '.ts'));
  sources.set(
    path.join(PG_SCHEMA_DIR, 'index.ts'),
    [
      '// GENERATED by `npm run db:schema` (db/schema-codegen.ts): the PostgreSQL schema, one module per',
      '// module of db/schema. drizzle-kit reads it (drizzle.pg.config.ts) to write db/migrations/pg.',
      ...modules.map((module) => `export * from './${module}';`),
      '',
    ].join('\n'),
  );

  const formatted = new Map<string, string>();
  for (const [file, source] of sources) {
    const options = (await resolveConfig(file)) ?? {};
    formatted.set(file, await format(source, { ...options, filepath: file }));
  }
  return formatted;
}

/** Files under db/pg/schema that differ from what generation writes (missing, stale or extra). */
export async function stalePgSchemaFiles(): Promise<string[]> {
  const expected = await generatePgSchemaFiles();
  const stale: string[] = [];
  for (const [file, content] of expected) {
    const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
    if (current !== content) stale.push(path.relative(process.cwd(), file));
  }
  for (const file of fs.readdirSync(PG_SCHEMA_DIR)) {
    const full = path.join(PG_SCHEMA_DIR, file);
    if (file !== '_columns.ts' && !expected.has(full))
      stale.push(`${path.relative(process.cwd(), full)} (not generated)`);
  }
  return stale;
}
