import { describe, expect, it } from 'vitest';
import { Client } from 'pg';
import { onCommit, readTransaction, sqlGet, sqlRun, writeTransaction, type Db } from './client';
import { signalWork, watchWork, WORK_CHANNEL } from './work-signal';
import { isPostgresMode, useTempDatabase } from '@/tests/helpers/db';

const database = useTempDatabase();

/** Runs fn in a savepoint that rolls back (the error is swallowed, as a caller that recovers would). */
async function inRolledBackSavepoint(db: Db, fn: (db: Db) => Promise<void>) {
  await writeTransaction(async (inner) => {
    await fn(inner);
    throw new Error('roll back this savepoint');
  }, db).catch((error: Error) => {
    if (error.message !== 'roll back this savepoint') throw error;
  });
}

describe('transactions', () => {
  it('after-commit tasks follow savepoints: a rolled-back savepoint drops its own, a released one keeps them', async () => {
    const ran: string[] = [];
    await writeTransaction(async (db) => {
      onCommit(db, 'outer', () => ran.push('outer'));
      await inRolledBackSavepoint(db, async (inner) => {
        onCommit(inner, 'undone', () => ran.push('undone'));
        // Already pending from outside: not this savepoint's, so it stays.
        expect(onCommit(inner, 'outer', () => ran.push('outer again'))).toBe(false);
      });
      await writeTransaction(async (inner) => {
        onCommit(inner, 'kept', () => ran.push('kept'));
        await inRolledBackSavepoint(inner, async (deeper) => {
          onCommit(deeper, 'undone deeper', () => ran.push('undone deeper'));
        });
      }, db);
      // The key dropped with its savepoint can be registered again, and then runs.
      expect(onCommit(db, 'undone', () => ran.push('redone'))).toBe(true);
      expect(ran).toEqual([]);
    }, database.handle());
    expect(ran).toEqual(['outer', 'kept', 'redone']);
  });

  it('a rolled-back transaction runs none of its after-commit tasks', async () => {
    const ran: string[] = [];
    await expect(
      writeTransaction(async (db) => {
        onCommit(db, 'a', () => ran.push('a'));
        throw new Error('abort');
      }, database.handle()),
    ).rejects.toThrow('abort');
    expect(ran).toEqual([]);
  });

  it('work signalled only inside a rolled-back savepoint never wakes a worker; signalled again afterwards, it does', async () => {
    const handle = database.handle();
    let woken = 0;
    const watcher = watchWork(handle, () => woken++);
    const notified: string[] = [];
    let listener: Client | undefined;
    if (isPostgresMode()) {
      listener = new Client({ connectionString: handle.url });
      await listener.connect();
      listener.on('notification', (message) => notified.push(message.channel));
      await listener.query(`LISTEN ${WORK_CHANNEL}`);
    }
    try {
      await writeTransaction(async (db) => {
        await inRolledBackSavepoint(db, async (inner) => await signalWork(inner));
      }, handle);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect({ woken, notified }).toEqual({ woken: 0, notified: [] });

      await writeTransaction(async (db) => {
        await inRolledBackSavepoint(db, async (inner) => await signalWork(inner));
        await signalWork(db);
      }, handle);
      const deadline = Date.now() + 5_000;
      while ((woken === 0 || (listener && notified.length === 0)) && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 20));
      expect(woken).toBeGreaterThanOrEqual(1);
      if (listener) expect(notified).toEqual([WORK_CHANNEL]);
    } finally {
      await watcher.close();
      await listener?.end();
    }
  });

  it('a read transaction reads its snapshot while a write transaction is open, and refuses writes', async () => {
    const handle = database.handle();
    await sqlRun(handle.db, 'CREATE TABLE IF NOT EXISTS tx_probe (n integer)');
    await sqlRun(handle.db, 'INSERT INTO tx_probe (n) VALUES (1)');
    let finishWriter!: () => void;
    const writerMayFinish = new Promise<void>((resolve) => (finishWriter = resolve));
    let writerHasWritten!: () => void;
    const written = new Promise<void>((resolve) => (writerHasWritten = resolve));
    const writer = writeTransaction(async (db) => {
      await sqlRun(db, 'INSERT INTO tx_probe (n) VALUES (2)');
      writerHasWritten();
      await writerMayFinish;
    }, handle);
    await written;
    // The writer holds the write lock and has not committed: the reader neither waits nor sees row 2.
    const seen = await readTransaction(
      async (db) => await sqlGet<{ total: number }>(db, 'SELECT sum(n) AS total FROM tx_probe'),
      handle,
    );
    expect(Number(seen?.total)).toBe(1);
    finishWriter();
    await writer;
    await expect(
      readTransaction(async (db) => await sqlRun(db, 'INSERT INTO tx_probe (n) VALUES (3)'), handle),
    ).rejects.toThrow(/read-?only/i);
    const after = await readTransaction(
      async (db) => await sqlGet<{ total: number }>(db, 'SELECT sum(n) AS total FROM tx_probe'),
      handle,
    );
    expect(Number(after?.total)).toBe(3);
  });
});
