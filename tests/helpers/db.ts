import type Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { closeDatabase, openDatabase, sqlAll, sqlRun, type DbHandle, type SqlParams } from '@/db/client';
import { migrateDatabase } from '@/db/migrate';
import { resetAppEnv } from '@/lib/config/env';
import { createScratchDatabase, dropScratchDatabase } from './postgres';

/** true when the unit suite runs against PostgreSQL (`TEST_STORE=postgres`, see `npm run test:unit:pg`). */
export function isPostgresMode(): boolean {
  return process.env.TEST_STORE === 'postgres';
}

export interface TempDatabase {
  /** The store handle (SQLite or PostgreSQL, whichever this run uses). */
  handle: () => DbHandle;
  /** SQLite only: the better-sqlite3 connection. Throws in PostgreSQL mode (skip those tests there). */
  sqlite: () => Database.Database;
  /** SQLite only: the database file. */
  file: () => string;
  /** The temp data dir (TARMO_DATA_DIR). */
  dir: () => string;
  /** Portable raw SQL on the test database (`?` placeholders, run on either store). */
  all: <T = Record<string, unknown>>(text: string, ...params: unknown[]) => Promise<T[]>;
  get: <T = Record<string, unknown>>(text: string, ...params: unknown[]) => Promise<T | undefined>;
  run: (text: string, ...params: unknown[]) => Promise<number>;
}

/**
 * Points this test file at a fresh database with the real migrations applied: a SQLite file in a
 * temp dir, or with `TEST_STORE=postgres` a scratch PostgreSQL database on TEST_POSTGRES_URL
 * (dropped afterwards). Every test file gets its own database (vitest runs files in separate
 * processes). Tests that need SQLite internals (`sqlite()`, `file()`, pragmas, WAL) skip themselves
 * in PostgreSQL mode: `it.skipIf(isPostgresMode())`.
 */
export function useTempDatabase(options: { store?: 'sqlite' } = {}): TempDatabase {
  let dir = '';
  let url = '';
  let handle: DbHandle | undefined;
  // `store: 'sqlite'`: always a SQLite file (e.g. the source of the SQLite → PostgreSQL copy).
  const postgres = options.store !== 'sqlite' && isPostgresMode();
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tarmo-test-'));
    if (postgres) {
      if (!process.env.TEST_POSTGRES_URL) throw new Error('TEST_STORE=postgres needs TEST_POSTGRES_URL');
      url = await createScratchDatabase('tarmo_u');
    } else {
      url = `file:${path.join(dir, 'tarmo.db')}`;
    }
    process.env.DATABASE_URL = url;
    process.env.TARMO_DATA_DIR = dir;
    resetAppEnv();
    await migrateDatabase(url);
    handle = openDatabase(url);
  });
  afterAll(async () => {
    if (url) await closeDatabase(url);
    if (postgres && url) await dropScratchDatabase(url);
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });
  const ready = () => {
    if (!handle) throw new Error('database not ready: call inside a test');
    return handle;
  };
  const params = (list: unknown[]): SqlParams => list;
  return {
    handle: ready,
    sqlite: () => {
      const { sqlite } = ready();
      if (!sqlite) throw new Error('this test needs the SQLite store (skip it in PostgreSQL mode)');
      return sqlite;
    },
    file: () => {
      const { file } = ready();
      if (!file) throw new Error('this test needs the SQLite store (skip it in PostgreSQL mode)');
      return file;
    },
    dir: () => dir,
    all: (text, ...list) => sqlAll(ready().db, text, params(list)),
    get: async (text, ...list) => (await sqlAll(ready().db, text, params(list)))[0] as never,
    run: async (text, ...list) => (await sqlRun(ready().db, text, params(list))).changes,
  };
}
