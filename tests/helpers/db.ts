import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { closeSqlite, openSqlite, type SqliteHandle } from '@/db/client';
import { migrateSqlite } from '@/db/migrate';
import { resetAppEnv } from '@/lib/config/env';

/**
 * Points this test file at a fresh SQLite file in a temp dir with the real migrations applied.
 * Every test file gets its own database (vitest runs files in separate processes).
 */
export function useTempDatabase(): { handle: () => SqliteHandle; dir: () => string } {
  let dir = '';
  let handle: SqliteHandle | undefined;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tarmo-test-'));
    process.env.DATABASE_URL = `file:${path.join(dir, 'tarmo.db')}`;
    process.env.TARMO_DATA_DIR = dir;
    resetAppEnv();
    migrateSqlite();
    handle = openSqlite();
  });
  afterAll(() => {
    closeSqlite();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return {
    handle: () => {
      if (!handle) throw new Error('database not ready: call inside a test');
      return handle;
    },
    dir: () => dir,
  };
}
