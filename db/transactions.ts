import { ADVISORY_LOCK_KEYS } from './advisory-locks';
import {
  acquireReader,
  handleOf,
  openDatabase,
  releaseReader,
  txContext,
  type Db,
  type DbHandle,
  type SqliteHandle,
  type TxState,
} from './handles';
import { log } from '@/lib/config/log';

export interface TransactionOptions {
  /**
   * PostgreSQL: take the store-wide write lock (default), which gives write transactions the
   * same one-writer-at-a-time semantics they have on SQLite. The executor's batches opt out: leases
   * and sequence checks keep them apart, so several workers can commit at once.
   */
  serialized?: boolean;
  /**
   * Read-only snapshot: SQLite runs it on a read-only connection of its own (it neither waits for
   * nor blocks the write connection), PostgreSQL as REPEATABLE READ READ ONLY.
   */
  readOnly?: boolean;
}

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
  if (handle.dialect === 'postgres') return postgresTransaction(handle, fn, options);
  return options.readOnly
    ? sqliteReadTransaction(handle as SqliteHandle, fn)
    : sqliteTransaction(handle as SqliteHandle, fn);
}

/** A consistent read snapshot across several queries; writes inside it fail. */
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
 * none is). A rolled-back transaction drops it, and so does a rolled-back savepoint it was
 * registered in: work undone never signals. Registering the same key again keeps the first
 * (still pending) one. Returns false when the key was already pending.
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
      log().error({ err: error }, 'after-commit task failed');
    }
  }
}

/** Forgets the after-commit tasks registered since `mark` (their count when a savepoint began). */
function dropAfterCommitSince(tx: TxState, mark: number) {
  if (!tx.afterCommit || tx.afterCommit.size <= mark) return;
  for (const key of [...tx.afterCommit.keys()].slice(mark)) tx.afterCommit.delete(key);
}

async function inSavepoint<T>(tx: TxState, fn: () => Promise<T> | T): Promise<T> {
  const name = `sp${++tx.savepoints}`;
  // Keys are only appended (and removed only here), so the ones past this count are this savepoint's.
  const mark = tx.afterCommit?.size ?? 0;
  // SQLite runs these synchronously: no promise (and no microtask) per savepoint statement; the
  // executor opens one savepoint per writing step.
  const sqlite = tx.sqlite;
  if (sqlite) sqlite.exec(`SAVEPOINT ${name}`);
  else await tx.client!.query(`SAVEPOINT ${name}`);
  try {
    const result = await fn();
    if (sqlite) sqlite.exec(`RELEASE SAVEPOINT ${name}`);
    else await tx.client!.query(`RELEASE SAVEPOINT ${name}`);
    return result;
  } catch (error) {
    dropAfterCommitSince(tx, mark);
    if (sqlite) sqlite.exec(`ROLLBACK TO SAVEPOINT ${name}; RELEASE SAVEPOINT ${name}`);
    else {
      await tx.client!.query(`ROLLBACK TO SAVEPOINT ${name}`);
      await tx.client!.query(`RELEASE SAVEPOINT ${name}`);
    }
    throw error;
  }
}

async function sqliteTransaction<T>(handle: SqliteHandle, fn: (db: Db) => Promise<T> | T) {
  const sqlite = handle.sqlite;
  const release = await handle.lock.acquire();
  const tx: TxState = { handle, sqlite, savepoints: 0, done: false };
  try {
    sqlite.exec('BEGIN IMMEDIATE');
    try {
      const result = await txContext.run(tx, async () => fn(handle.db));
      sqlite.exec('COMMIT');
      tx.done = true;
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

async function sqliteReadTransaction<T>(handle: SqliteHandle, fn: (db: Db) => Promise<T> | T) {
  const reader = acquireReader(handle);
  const tx: TxState = { handle, sqlite: reader, savepoints: 0, done: false };
  try {
    reader.exec('BEGIN');
    try {
      const result = await txContext.run(tx, async () => fn(handle.db));
      reader.exec('COMMIT');
      tx.done = true;
      runAfterCommit(tx);
      return result;
    } catch (error) {
      if (reader.inTransaction) reader.exec('ROLLBACK');
      throw error;
    }
  } finally {
    tx.done = true;
    releaseReader(handle, reader);
  }
}

async function postgresTransaction<T>(
  handle: DbHandle,
  fn: (db: Db) => Promise<T> | T,
  options: TransactionOptions,
) {
  const client = await handle.pool!.connect();
  try {
    await client.query(options.readOnly ? 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY' : 'BEGIN');
  } catch (error) {
    // A client that cannot even begin (its connection died while idle in the pool) is destroyed,
    // never handed to the next caller.
    client.release(true);
    throw error;
  }
  const tx: TxState = { handle, client, savepoints: 0, done: false };
  let broken = false;
  try {
    try {
      if (!options.readOnly && options.serialized !== false)
        await client.query('SELECT pg_advisory_xact_lock($1)', [ADVISORY_LOCK_KEYS.STORE_WRITE]);
      const result = await txContext.run(tx, async () => fn(handle.db));
      await client.query('COMMIT');
      tx.done = true;
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
