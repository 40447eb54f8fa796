import pg from 'pg';
import { log } from '../../lib/config/log';

/** `postgres://…` and `postgresql://…` select the PostgreSQL store; anything else is SQLite. */
export function isPostgresUrl(url: string | undefined): boolean {
  return !!url && /^postgres(ql)?:\/\//i.test(url);
}

// The store reads rows as SQLite gives them, so one mapping serves both: bigint millisecond
// timestamps and counts as numbers (they stay far below 2^53), JSON as its text.
const INT8 = 20;
const NUMERIC = 1700;
const JSON_OID = 114;
const JSONB = 3802;
const asNumber = (value: string) => Number(value);
const asText = (value: string) => value;
const storeTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8 || oid === NUMERIC) return asNumber;
    if (oid === JSON_OID || oid === JSONB) return asText;
    return pg.types.getTypeParser(oid, format);
  },
} as pg.CustomTypesConfig;

const pools = new Map<string, pg.Pool>();

/** Connections of this process's pools (null on SQLite), for the metrics. */
export function postgresPoolStats(): { total: number; idle: number; waiting: number } | null {
  if (pools.size === 0) return null;
  let total = 0;
  let idle = 0;
  let waiting = 0;
  for (const pool of pools.values()) {
    total += pool.totalCount;
    idle += pool.idleCount;
    waiting += pool.waitingCount;
  }
  return { total, idle, waiting };
}

/**
 * One pool per process and URL. Several web and worker processes each hold their own pool against
 * the same database; keep processes × TARMO_PG_POOL_MAX below the server's max_connections (or put
 * PgBouncer in transaction mode in front).
 */
export function openPostgresPool(url: string): pg.Pool {
  const existing = pools.get(url);
  if (existing) return existing;
  const pool = new pg.Pool({
    connectionString: url,
    max: Number(process.env.TARMO_PG_POOL_MAX || 10),
    types: storeTypes,
    // Transactions are short; a stuck one must not hold locks for ever.
    idle_in_transaction_session_timeout: 30_000,
    application_name: 'tarmo',
  });
  // An idle client losing its connection (server restart) must not crash the process.
  pool.on('error', (error) => log().error({ err: error }, 'postgres pool error'));
  // pg-pool listens for errors only while a client is idle; a checked-out client (inside a
  // transaction, between queries) that loses its connection (restart, pg_terminate_backend,
  // idle_in_transaction_session_timeout) would emit an unhandled 'error' and crash the process.
  // The transaction's next query fails instead, and the broken client is dropped on release.
  pool.on('connect', (client) =>
    client.on('error', (error) => log().error({ err: error }, 'postgres connection lost')),
  );
  pools.set(url, pool);
  return pool;
}

export async function closePostgresPool(url: string): Promise<void> {
  const pool = pools.get(url);
  pools.delete(url);
  await pool?.end();
}
