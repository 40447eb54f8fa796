import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { openDatabase, readTransaction, sqlGet, writeTransaction, type DbHandle } from '@/db/client';
import { skipWithoutPostgres, TEST_POSTGRES_URL, useScratchPostgres } from '@/tests/helpers/postgres';

/**
 * A transaction whose BEGIN fails must not hand its client back to the pool: the next caller
 * would get the same dead or aborted connection and fail too. Both ways are provoked for real on
 * the server, not simulated: a backend terminated by an admin while its client sits idle in the
 * pool, and a client released in an aborted transaction (where BEGIN itself is refused).
 */
const backendPid = async (handle: DbHandle, write: boolean) => {
  const read = async (db: DbHandle['db']) =>
    (await sqlGet<{ pid: number }>(db, 'SELECT pg_backend_pid() AS pid'))!.pid;
  return write ? await writeTransaction(read, handle) : await readTransaction(read, handle);
};

/**
 * Terminates a backend from a separate psql process, synchronously: this process's event loop does
 * not turn meanwhile, so the pool cannot notice the closed socket before the next BEGIN is sent on
 * it (which is what happens when a server restarts or kills a connection between two requests).
 */
function terminateSynchronously(pid: number) {
  const answer = execFileSync(
    'psql',
    [TEST_POSTGRES_URL!, '-Atc', `SELECT pg_terminate_backend(${Number(pid)}, 5000)`],
    { encoding: 'utf8' },
  );
  expect(answer.trim()).toBe('t');
}

describe.skipIf(skipWithoutPostgres('tests/pg/pool-begin.test.ts'))(
  'a failed BEGIN never returns a broken client to the pool',
  () => {
    const database = useScratchPostgres({ migrate: false });

    it.each([
      ['write', true],
      ['read', false],
    ])(
      'a backend terminated while idle in the pool: the %s transaction on it fails, the next one works',
      async (_kind, write) => {
        const handle = openDatabase(database.url());
        const pool = handle.pool!;
        const dead = await backendPid(handle, write);
        expect(pool.idleCount).toBe(1);

        terminateSynchronously(dead);
        // The idle client is the one handed out, and its BEGIN meets the terminated backend.
        await expect(backendPid(handle, write)).rejects.toThrow(/terminat/i);
        expect(pool.totalCount).toBe(0);

        const fresh = await backendPid(handle, write);
        expect(fresh).not.toBe(dead);
        // And the one after that reuses the healthy client.
        expect(await backendPid(handle, write)).toBe(fresh);
      },
    );

    it('a client left in an aborted transaction: BEGIN is refused, the client is dropped, the next transaction works', async () => {
      const handle = openDatabase(database.url());
      const pool = handle.pool!;
      // A caller outside writeTransaction that returns its client mid-failure (a bug elsewhere).
      const leaked = await pool.connect();
      const aborted = (await leaked.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
      await leaked.query('BEGIN');
      await expect(leaked.query('SELECT 1 / 0')).rejects.toThrow(/division by zero/);
      leaked.release();
      const clientsBefore = pool.totalCount;

      await expect(backendPid(handle, true)).rejects.toMatchObject({ code: '25P02' });
      expect(pool.totalCount).toBe(clientsBefore - 1);

      for (let i = 0; i < 3; i++) expect(await backendPid(handle, true)).not.toBe(aborted);
    });
  },
);
