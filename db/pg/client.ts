import { Pool, type PoolClient, type PoolConfig } from 'pg';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import * as schema from './schema';

export type PgDb = NodePgDatabase<typeof schema>;
export type PostgresHandle = { db: PgDb; pool: Pool; url: string };

const handles = new Map<string, PostgresHandle>();

/** `postgres://…` and `postgresql://…` select the PostgreSQL store; anything else is SQLite. */
export function isPostgresUrl(url: string | undefined): boolean {
  return !!url && /^postgres(ql)?:\/\//i.test(url);
}

/**
 * Opens (once per process and URL) a connection pool. Several web and worker processes each
 * hold their own pool against the same database; size it so that processes × max stays below
 * the server's max_connections (or put PgBouncer in transaction mode in front).
 */
export function openPostgres(url: string, options: Pick<PoolConfig, 'max'> = {}): PostgresHandle {
  const existing = handles.get(url);
  if (existing) return existing;
  const pool = new Pool({
    connectionString: url,
    max: options.max ?? Number(process.env.TARMO_PG_POOL_MAX || 10),
    // Ledger and claim transactions are short; a stuck one must not hold locks for ever.
    idle_in_transaction_session_timeout: 30_000,
    application_name: 'tarmo',
  });
  // An idle client losing its connection (server restart) must not crash the process.
  pool.on('error', (error) => console.error('postgres pool error:', error.message));
  const handle = { db: drizzle(pool, { schema }), pool, url };
  handles.set(url, handle);
  return handle;
}

export async function closePostgres(url: string): Promise<void> {
  const handle = handles.get(url);
  handles.delete(url);
  await handle?.pool.end();
}

/**
 * Runs fn inside BEGIN … COMMIT on one pooled connection (ROLLBACK on any error). fn gets both
 * the raw client (for SELECT … FOR UPDATE SKIP LOCKED, advisory locks, NOTIFY) and a drizzle
 * handle bound to the same connection.
 */
export async function pgTransaction<T>(
  pool: Pool,
  fn: (client: PoolClient, db: PgDb) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await fn(client, drizzle(client, { schema }));
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
