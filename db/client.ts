import Database from 'better-sqlite3';
import type { SQL } from 'drizzle-orm';
import { SQLiteAsyncDialect } from 'drizzle-orm/sqlite-core';
import { drizzle, type SqliteRemoteDatabase } from 'drizzle-orm/sqlite-proxy';
import { AsyncLocalStorage } from 'node:async_hooks';
import fs from 'node:fs';
import path from 'node:path';
import type { Pool, PoolClient } from 'pg';
import * as schema from './schema';
import { appEnv, sqlitePathFromUrl } from '@/lib/config/env';
import { ensurePrivateDir, ensurePrivateFile } from '@/lib/config/private-files';
import { closePostgresPool, isPostgresUrl, openPostgresPool } from './pg/pool';
import { toPostgresSql, type SqlParams } from './sql-text';

/**
 * One store, two databases. Every store module speaks drizzle's SQLite dialect (and portable raw
 * SQL) through this async handle; the handle runs it on better-sqlite3 (`file:` URLs, the
 * embedded default) or on a PostgreSQL pool (`postgres://`), translating placeholders. The few
 * places where the dialects must differ (claims with SKIP LOCKED, advisory locks, NOTIFY) ask
 * `dialectOf(db)`.
 */
export type Db = SqliteRemoteDatabase<typeof schema>;
export type Dialect = 'sqlite' | 'postgres';
export type { SqlParams };

export interface DbHandle {
  dialect: Dialect;
  url: string;
  db: Db;
  /** SQLite only: the better-sqlite3 connection and its file. */
  sqlite?: Database.Database;
  file?: string;
  /** PostgreSQL only. */
  pool?: Pool;
  /** SQLite: one connection, so write transactions queue here (see `writeTransaction`). */
  lock: AsyncLock;
}
export type SqliteHandle = DbHandle & { dialect: 'sqlite'; sqlite: Database.Database; file: string };
export type PostgresHandle = DbHandle & { dialect: 'postgres'; pool: Pool };

/** The transaction the current async context runs in (per handle). */
interface TxState {
  handle: DbHandle;
  client?: PoolClient;
  savepoints: number;
  done: boolean;
  /** Run after COMMIT (onCommit), by key so a key runs once per transaction. */
  afterCommit?: Map<string, () => void>;
}
const txContext = new AsyncLocalStorage<TxState>();

const handles = new Map<string, DbHandle>();
const handleByDb = new WeakMap<Db, DbHandle>();

/** Opens (once per process) the database of this URL: SQLite for `file:`, PostgreSQL for `postgres://`. */
export function openDatabase(url: string = appEnv().DATABASE_URL): DbHandle {
  return isPostgresUrl(url) ? openPostgresDatabase(url) : openSqlite(url);
}

/** Opens (once per process) the SQLite file with the pragmas Tarmo relies on. */
export function openSqlite(url: string = appEnv().DATABASE_URL): SqliteHandle {
  if (!url.startsWith('file:')) {
    // Never fall back to a stray file named after a server URL.
    throw new Error(`This command needs a SQLite DATABASE_URL (file:…), not ${url.split(':')[0]}:`);
  }
  const file = sqlitePathFromUrl(url);
  const existing = handles.get(file);
  if (existing) return existing as SqliteHandle;
  // The file exists owner-only before SQLite opens it: SQLite gives the WAL and shared-memory
  // files the database file's permissions.
  ensurePrivateDir(path.dirname(file));
  ensurePrivateFile(file);
  for (const companion of [`${file}-wal`, `${file}-shm`])
    if (fs.existsSync(companion)) ensurePrivateFile(companion);
  const sqlite = new Database(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 10000');
  // Erased personal data must not linger in free pages.
  sqlite.pragma('secure_delete = ON');
  // 64 MiB page cache (default 2 MiB): an executor batch dirties more pages than 2 MiB (positions,
  // step events, outbox rows and their indexes), and SQLite then spills them to the WAL
  // mid-transaction and writes them again at commit. Measured with bench:executor at 100k customers.
  sqlite.pragma('cache_size = -65536');
  // Checkpoint every ~40 MiB of WAL (default ~4 MiB): with the default, nearly every executor batch
  // commit also checkpointed (copying its pages to the database file and syncing twice), and pages
  // that the next batches change again were copied again. Measured +7% with bench:executor.
  sqlite.pragma('wal_autocheckpoint = 10000');
  const handle = { dialect: 'sqlite', url, sqlite, file, lock: new AsyncLock() } as SqliteHandle;
  handle.db = drizzle(sqliteCallback(handle), { schema });
  handles.set(file, handle);
  handleByDb.set(handle.db, handle);
  return handle;
}

function openPostgresDatabase(url: string): PostgresHandle {
  const existing = handles.get(url);
  if (existing) return existing as PostgresHandle;
  const handle = {
    dialect: 'postgres',
    url,
    pool: openPostgresPool(url),
    lock: new AsyncLock(),
  } as PostgresHandle;
  handle.db = drizzle(postgresCallback(handle), { schema });
  handles.set(url, handle);
  handleByDb.set(handle.db, handle);
  return handle;
}

export async function closeDatabase(url: string = appEnv().DATABASE_URL): Promise<void> {
  const key = isPostgresUrl(url) ? url : sqlitePathFromUrl(url);
  const handle = handles.get(key);
  handles.delete(key);
  handle?.sqlite?.close();
  if (handle?.pool) await closePostgresPool(url);
}

/** The default database of this process. */
export function getDb(): Db {
  return openDatabase().db;
}

export function handleOf(db: Db): DbHandle {
  const handle = handleByDb.get(db);
  if (!handle) throw new Error('not a Tarmo database handle');
  return handle;
}

export function dialectOf(db: Db): Dialect {
  return handleOf(db).dialect;
}

export interface TransactionOptions {
  /**
   * PostgreSQL: take the store-wide write lock (default), which gives write transactions the
   * same one-writer-at-a-time semantics they have on SQLite. The executor's batches opt out: leases
   * and sequence checks keep them apart, so several workers can commit at once.
   */
  serialized?: boolean;
  /** Read-only snapshot (SQLite BEGIN DEFERRED, PostgreSQL REPEATABLE READ READ ONLY). */
  readOnly?: boolean;
}

/** Arbitrary constant of the store-wide PostgreSQL write lock. */
const WRITE_LOCK_KEY = 7_274_312;

/**
 * Runs fn in one transaction and commits, or rolls back if it throws. SQLite takes the write lock
 * up front (BEGIN IMMEDIATE), so two writers never deadlock on upgrade. Inside, every call on any
 * handle of this database joins the transaction; a nested call becomes a savepoint.
 */
export async function writeTransaction<T>(
  fn: (db: Db) => Promise<T> | T,
  target: DbHandle | Db = openDatabase(),
  options: TransactionOptions = {},
): Promise<T> {
  const handle = 'lock' in target ? target : handleOf(target);
  const current = txContext.getStore();
  if (current && current.handle === handle && !current.done) return inSavepoint(current, () => fn(handle.db));
  return handle.dialect === 'sqlite'
    ? sqliteTransaction(handle, fn, options)
    : postgresTransaction(handle, fn, options);
}

/** A consistent read snapshot across several queries. */
export function readTransaction<T>(
  fn: (db: Db) => Promise<T> | T,
  target: DbHandle | Db = openDatabase(),
): Promise<T> {
  return writeTransaction(fn, target, { readOnly: true });
}

/** Whether the current async context runs inside a transaction of this database. */
export function inTransaction(db: Db): boolean {
  const current = txContext.getStore();
  return !!current && !current.done && current.handle === handleOf(db);
}

/**
 * Runs `task` once the transaction of `db` that is open in this async context commits (at once when
 * none is); a rolled-back transaction drops it. Registering the same key again in one transaction
 * keeps the first. Returns false when the key was already registered.
 */
export function onCommit(db: Db, key: string, task: () => void): boolean {
  const current = txContext.getStore();
  if (!current || current.done || current.handle !== handleOf(db)) {
    task();
    return true;
  }
  current.afterCommit ??= new Map();
  if (current.afterCommit.has(key)) return false;
  current.afterCommit.set(key, task);
  return true;
}

function runAfterCommit(tx: TxState) {
  if (!tx.afterCommit) return;
  for (const task of tx.afterCommit.values()) {
    try {
      task();
    } catch (error) {
      // The transaction has committed; a failing follow-up must not turn that into an error.
      console.error('after-commit task failed:', error instanceof Error ? error.message : error);
    }
  }
}

async function inSavepoint<T>(tx: TxState, fn: () => Promise<T> | T): Promise<T> {
  const name = `sp${++tx.savepoints}`;
  // SQLite runs these synchronously: no promise (and no microtask) per savepoint statement; the
  // executor opens one savepoint per writing step.
  const sqlite = tx.client ? undefined : tx.handle.sqlite!;
  if (sqlite) sqlite.exec(`SAVEPOINT ${name}`);
  else await tx.client!.query(`SAVEPOINT ${name}`);
  try {
    const result = await fn();
    if (sqlite) sqlite.exec(`RELEASE SAVEPOINT ${name}`);
    else await tx.client!.query(`RELEASE SAVEPOINT ${name}`);
    return result;
  } catch (error) {
    if (sqlite) sqlite.exec(`ROLLBACK TO SAVEPOINT ${name}; RELEASE SAVEPOINT ${name}`);
    else {
      await tx.client!.query(`ROLLBACK TO SAVEPOINT ${name}`);
      await tx.client!.query(`RELEASE SAVEPOINT ${name}`);
    }
    throw error;
  }
}

async function sqliteTransaction<T>(
  handle: DbHandle,
  fn: (db: Db) => Promise<T> | T,
  options: TransactionOptions,
) {
  const sqlite = handle.sqlite!;
  const release = await handle.lock.acquire();
  const tx: TxState = { handle, savepoints: 0, done: false };
  try {
    sqlite.exec(options.readOnly ? 'BEGIN DEFERRED' : 'BEGIN IMMEDIATE');
    try {
      const result = await txContext.run(tx, async () => fn(handle.db));
      sqlite.exec('COMMIT');
      runAfterCommit(tx);
      return result;
    } catch (error) {
      if (sqlite.inTransaction) sqlite.exec('ROLLBACK');
      throw error;
    }
  } finally {
    tx.done = true;
    release();
  }
}

async function postgresTransaction<T>(
  handle: DbHandle,
  fn: (db: Db) => Promise<T> | T,
  options: TransactionOptions,
) {
  const client = await handle.pool!.connect();
  const tx: TxState = { handle, client, savepoints: 0, done: false };
  let broken = false;
  try {
    await client.query(options.readOnly ? 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY' : 'BEGIN');
    try {
      if (!options.readOnly && options.serialized !== false)
        await client.query('SELECT pg_advisory_xact_lock($1)', [WRITE_LOCK_KEY]);
      const result = await txContext.run(tx, async () => fn(handle.db));
      await client.query('COMMIT');
      runAfterCommit(tx);
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {
        broken = true;
      });
      throw error;
    }
  } finally {
    tx.done = true;
    client.release(broken);
  }
}

/** The transaction of this handle that the current async context runs in, if any. */
function activeTx(handle: DbHandle): TxState | undefined {
  const current = txContext.getStore();
  return current && !current.done && current.handle === handle ? current : undefined;
}

type Method = 'run' | 'all' | 'values' | 'get';
/** What `.run()` resolves to on both stores (drizzle passes the callback's result through). */
export interface RunResult {
  rows: unknown[];
  changes: number;
}

function sqliteCallback(handle: SqliteHandle) {
  const statements = new Map<string, Database.Statement>();
  const prepare = (text: string, raw: boolean) => {
    const key = raw ? `r:${text}` : text;
    let statement = statements.get(key);
    if (!statement) {
      statement = handle.sqlite.prepare(text);
      if (raw && statement.reader) statement.raw(true);
      statements.set(key, statement);
    }
    return statement;
  };
  return async (text: string, params: unknown[], method: Method) => {
    // Outside a transaction, wait until nobody else's transaction holds the one connection, so a
    // statement never lands in another request's open transaction.
    const release = activeTx(handle) || !handle.lock.busy ? undefined : await handle.lock.acquire();
    try {
      const statement = prepare(text, method !== 'run');
      if (method === 'run' || !statement.reader) {
        const info = statement.run(...(params as unknown[]));
        return { rows: [], changes: info.changes } as { rows: unknown[] };
      }
      if (method === 'get') return { rows: statement.get(...(params as unknown[])) as unknown[] };
      return { rows: statement.all(...(params as unknown[])) as unknown[] };
    } finally {
      release?.();
    }
  };
}

function postgresCallback(handle: PostgresHandle) {
  return async (text: string, params: unknown[], method: Method) => {
    const queryable = activeTx(handle)?.client ?? handle.pool;
    const result = await queryable.query({ text: toPostgresSql(text), values: params, rowMode: 'array' });
    if (method === 'run') return { rows: [], changes: result.rowCount ?? 0 } as { rows: unknown[] };
    if (method === 'get') return { rows: result.rows[0] as unknown[] };
    return { rows: result.rows as unknown[] };
  };
}

// Portable raw SQL, for the statements the query builder cannot express or where building the
// query each time cost more than running it (measured in the benchmarks). `?` or `@name`
// placeholders; the text must run on both SQLite and PostgreSQL (or branch on dialectOf).

/** All rows, as objects keyed by column name. */
export async function sqlAll<T>(db: Db, text: string, params: SqlParams = []): Promise<T[]> {
  const handle = handleOf(db);
  if (handle.sqlite) {
    const release = activeTx(handle) || !handle.lock.busy ? undefined : await handle.lock.acquire();
    try {
      return rawStatement(handle.sqlite, text).all(params) as T[];
    } finally {
      release?.();
    }
  }
  const [converted, values] = toPostgresSql(text, params);
  const result = await (activeTx(handle)?.client ?? handle.pool!).query(converted, values);
  return result.rows as T[];
}

export async function sqlGet<T>(db: Db, text: string, params: SqlParams = []): Promise<T | undefined> {
  const handle = handleOf(db);
  if (handle.sqlite) {
    const release = activeTx(handle) || !handle.lock.busy ? undefined : await handle.lock.acquire();
    try {
      return rawStatement(handle.sqlite, text).get(params) as T | undefined;
    } finally {
      release?.();
    }
  }
  return (await sqlAll<T>(db, text, params))[0];
}

/**
 * Inserts one row and returns its `id` (undefined when nothing was inserted, e.g. ON CONFLICT DO
 * NOTHING). `text` is an INSERT without RETURNING: SQLite takes the id from run()'s
 * lastInsertRowid (measured ~3 µs per row cheaper than RETURNING), PostgreSQL appends
 * `RETURNING id`.
 */
export async function sqlInsertId(db: Db, text: string, params: SqlParams = []): Promise<number | undefined> {
  const handle = handleOf(db);
  if (handle.sqlite) {
    const release = activeTx(handle) || !handle.lock.busy ? undefined : await handle.lock.acquire();
    try {
      const info = rawStatement(handle.sqlite, text).run(params);
      return info.changes === 1 ? Number(info.lastInsertRowid) : undefined;
    } finally {
      release?.();
    }
  }
  const row = (await sqlAll<{ id: number }>(db, `${text} RETURNING id`, params))[0];
  return row?.id;
}

export async function sqlRun(db: Db, text: string, params: SqlParams = []): Promise<RunResult> {
  const handle = handleOf(db);
  if (handle.sqlite) {
    const release = activeTx(handle) || !handle.lock.busy ? undefined : await handle.lock.acquire();
    try {
      const info = rawStatement(handle.sqlite, text).run(params);
      return { rows: [], changes: info.changes };
    } finally {
      release?.();
    }
  }
  const [converted, values] = toPostgresSql(text, params);
  const result = await (activeTx(handle)?.client ?? handle.pool!).query(converted, values);
  return { rows: result.rows, changes: result.rowCount ?? 0 };
}

const dialect = new SQLiteAsyncDialect();

/** A drizzle `sql` fragment's rows as objects (drizzle's own db.all would hand back arrays here). */
export async function queryAll<T>(db: Db, query: SQL): Promise<T[]> {
  const { sql: text, params } = dialect.sqlToQuery(query);
  return sqlAll<T>(db, text, params);
}

export async function queryGet<T>(db: Db, query: SQL): Promise<T | undefined> {
  return (await queryAll<T>(db, query))[0];
}

const rawStatements = new WeakMap<Database.Database, Map<string, Database.Statement>>();
function rawStatement(sqlite: Database.Database, text: string): Database.Statement {
  let cache = rawStatements.get(sqlite);
  if (!cache) {
    cache = new Map();
    rawStatements.set(sqlite, cache);
  }
  let statement = cache.get(text);
  if (!statement) {
    statement = sqlite.prepare(text);
    cache.set(text, statement);
  }
  return statement;
}

/**
 * A FIFO mutex. Callers check `busy` first and run synchronously when it is free, so a statement
 * outside any transaction never waits a tick (and never lands inside a transaction begun meanwhile).
 */
export class AsyncLock {
  private tail: Promise<void> = Promise.resolve();
  private held = 0;

  async acquire(): Promise<() => void> {
    let release!: () => void;
    const previous = this.tail;
    this.held++;
    this.tail = new Promise<void>((resolve) => {
      release = () => {
        this.held--;
        resolve();
      };
    });
    await previous;
    return release;
  }

  get busy(): boolean {
    return this.held > 0;
  }
}

// Both store callbacks report the rows a `.run()` changed (better-sqlite3 `changes`, pg `rowCount`).
declare module 'drizzle-orm/sqlite-proxy/driver' {
  interface SqliteRemoteResult<T = unknown> {
    changes: number;
    /** Unused: keeps T referenced. */
    readonly __rows?: T;
  }
}
