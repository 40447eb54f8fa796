// The store's database entry point: handles (db/handles.ts), transactions (db/transactions.ts) and
// portable raw SQL (db/raw-sql.ts). Store modules and the domain import from here.
export {
  closeDatabase,
  dialectOf,
  getDb,
  handleOf,
  openDatabase,
  openSqlite,
  type Db,
  type DbHandle,
  type Dialect,
  type PostgresHandle,
  type SqliteHandle,
} from './handles';
export {
  inTransaction,
  onCommit,
  readTransaction,
  writeTransaction,
  type TransactionOptions,
} from './transactions';
export {
  queryAll,
  queryGet,
  sqlAll,
  sqlGet,
  sqlInsertId,
  sqlInsertIds,
  sqlRun,
  type RunResult,
  type SqlParams,
} from './raw-sql';

// Both store callbacks report the rows a `.run()` changed (better-sqlite3 `changes`, pg `rowCount`).
declare module 'drizzle-orm/sqlite-proxy/driver' {
  interface SqliteRemoteResult<T = unknown> {
    changes: number;
    /** Unused: keeps T referenced. */
    readonly __rows?: T;
  }
}
