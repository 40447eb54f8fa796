import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqlite, closeDatabase } from '@/db/client';

const modeOf = (file: string) => fs.statSync(file).mode & 0o777;

describe('files in the data directory are for the owner only', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('creates the database directory 0700 and the database, WAL and shared memory 0600, whatever the umask', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tarmo-perm-'));
    dirs.push(root);
    const file = path.join(root, 'nested', 'data', 'tarmo.db');
    const previous = process.umask(0o000);
    try {
      const handle = openSqlite(`file:${file}`);
      handle.sqlite.exec('CREATE TABLE t (x TEXT); INSERT INTO t VALUES (1);');
      expect(modeOf(path.join(root, 'nested'))).toBe(0o700);
      expect(modeOf(path.dirname(file))).toBe(0o700);
      for (const f of [file, `${file}-wal`, `${file}-shm`]) expect([f, modeOf(f)]).toEqual([f, 0o600]);
      await closeDatabase(handle.url);
    } finally {
      process.umask(previous);
    }
  });

  it('takes group and other access away from a database file created before', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tarmo-perm-'));
    dirs.push(root);
    const file = path.join(root, 'old.db');
    fs.writeFileSync(file, '', { mode: 0o644 });
    fs.chmodSync(file, 0o644);
    const handle = openSqlite(`file:${file}`);
    expect(modeOf(file)).toBe(0o600);
    await closeDatabase(handle.url);
  });
});
