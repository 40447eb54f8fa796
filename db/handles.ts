import Database from 'better-sqlite3';
import { drizzle, type SqliteRemoteDatabase } from 'drizzle-orm/sqlite-proxy';
import { AsyncLocalStorage } from 'node:async_hooks';
import fs from 'node:fs';
import path from 'node:path';
import type { Pool, PoolClient } from 'pg';
import * as schema from './schema';
import { appEnv, sqlitePathFromUrl } from '@/lib/config/env';
import { ensurePrivateDir, ensurePrivateFile } from '@/lib/config/private-files';
import { AsyncLock } from './async-lock';
import { closePostgresPool, isPostgresUrl, openPostgresPool } from './pg/pool';
import { toPostgresSql } from './sql-text';

/**
 * One store, two databases. Every store module speaks drizzle's SQLite dialect (and portable raw
 * SQL) through this async handle; the handle runs it on better-sqlite3 (`file:` URLs, the
 * embedded default) or on a PostgreSQL pool (`postgres://`), translating placeholders. The few
 * places where the dialects must differ (claims with SKIP LOCKED, advisory locks, NOTIFY) ask
 * `dialectOf(db)`.
 */
export type Db = SqliteRemoteDatabase<typeof schema>;
export type Dialect = 'sqlite' | 'postgres';

export interface DbHandle {
  dialect: Dialect;
  url: string;
  db: Db;
  /** SQLite only: the better-sqlite3 write connection and its file. */
  sqlite?: Database.Database;
  file?: string;
  /** SQLite only: idle read-only connections for read transactions (see `acquireReader`). */
  readers?: Database.Database[];
  /** PostgreSQL only. */
  pool?: Pool;
  /** SQLite: one write connection, so write transactions queue here (see `writeTransaction`). */
  lock: AsyncLock;
}
export type SqliteHandle = DbHandle & {
  dialect: 'sqlite';
  sqlite: Database.Database;
  file: string;
  readers: Database.Database[];
};
export type PostgresHandle = DbHandle & { dialect: 'postgres'; pool: Pool };

/** The transaction the current async context runs in (per handle). */
export interface TxState {
  handle: DbHandle;
  /** PostgreSQL: the pooled client that holds the transaction. */
  client?: PoolClient;
  /** SQLite: the connection that holds it (the write connection, or a reader for a read transaction). */
  sqlite?: Database.Database;
  savepoints: number;
  done: boolean;
  /** Run after COMMIT (onCommit), by key so a key runs once per transaction. */
  afterCommit?: Map<string, () => void>;
}
export const txContext = new AsyncLocalStorage<TxState>();

/** The transaction of this handle that the current async context runs in, if any. */
export function activeTx(handle: DbHandle): TxState | undefined {
  const current = txContext.getStore();
  return current && !current.done && current.handle === handle ? current : undefined;
}

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
  const handle = {
    dialect: 'sqlite',
    url,
    sqlite,
    file,
    readers: [],
    lock: new AsyncLock(),
  } as unknown as SqliteHandle;
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
  for (const reader of handle?.readers?.splice(0) ?? []) reader.close();
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

/** Idle read connections kept per SQLite file; more concurrent readers open (and then close) more. */
const IDLE_READERS = 4;

/**
 * A read-only connection to the SQLite file for one read transaction. In WAL mode it reads a
 * consistent snapshot while the write connection keeps committing, so a long read (verifying the
 * ledger) neither waits for nor holds up writers.
 */
export function acquireReader(handle: SqliteHandle): Database.Database {
  const idle = handle.readers.pop();
  if (idle) return idle;
  const reader = new Database(handle.file, { readonly: true, fileMustExist: true });
  reader.pragma('busy_timeout = 10000');
  return reader;
}

export function releaseReader(handle: SqliteHandle, reader: Database.Database): void {
  if (reader.inTransaction || handle.readers.length >= IDLE_READERS || !handles.has(handle.file))
    reader.close();
  else handle.readers.push(reader);
}

/** The SQLite connection a statement runs on: the current transaction's, else the write connection. */
export function sqliteConnectionOf(handle: DbHandle): Database.Database {
  return activeTx(handle)?.sqlite ?? handle.sqlite!;
}

type Method = 'run' | 'all' | 'values' | 'get';

const preparedByConnection = new WeakMap<Database.Database, Map<string, Database.Statement>>();
/** A cached prepared statement of this connection (`raw`: rows as arrays, as drizzle's proxy wants). */
export function preparedStatement(
  connection: Database.Database,
  text: string,
  raw = false,
): Database.Statement {
  let cache = preparedByConnection.get(connection);
  if (!cache) {
    cache = new Map();
    preparedByConnection.set(connection, cache);
  }
  const key = raw ? `r:${text}` : text;
  let statement = cache.get(key);
  if (!statement) {
    statement = connection.prepare(text);
    if (raw && statement.reader) statement.raw(true);
    cache.set(key, statement);
  }
  return statement;
}

function sqliteCallback(handle: SqliteHandle) {
  return async (text: string, params: unknown[], method: Method) => {
    // Outside a transaction, wait until nobody else's transaction holds the write connection, so a
    // statement never lands in another request's open transaction.
    const release = activeTx(handle) || !handle.lock.busy ? undefined : await handle.lock.acquire();
    try {
      const statement = preparedStatement(sqliteConnectionOf(handle), text, method !== 'run');
      if (method === 'run' || !statement.reader) {
        const info = statement.run(...params);
        return { rows: [], changes: info.changes } as { rows: unknown[] };
      }
      if (method === 'get') return { rows: statement.get(...params) as unknown[] };
      return { rows: statement.all(...params) as unknown[] };
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
