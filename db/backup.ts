import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import Database from 'better-sqlite3';
import pg from 'pg';
import { sqlitePathFromUrl } from '@/lib/config/env';
import { isPostgresUrl } from './pg/pool';

/**
 * Backups of either store (`npm run db:backup` / `db:restore`, README "Backups").
 * SQLite: the online backup API copies a consistent snapshot page by page while the app keeps
 * writing (WAL). PostgreSQL: `pg_dump --format=custom`, restored with `pg_restore`.
 */

export const PG_DUMP_ARGS = ['--format=custom', '--no-owner', '--no-privileges'];
export const PG_RESTORE_ARGS = ['--no-owner', '--no-privileges', '--exit-on-error', '--single-transaction'];

function hasCommand(command: string): boolean {
  return spawnSync(command, ['--version'], { stdio: 'ignore' }).status === 0;
}

export async function backupDatabase(
  url: string,
  file: string,
): Promise<{ kind: 'sqlite' | 'postgres'; bytes: number }> {
  if (fs.existsSync(file)) throw new Error(`${file} exists already; choose a new file name`);
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  if (isPostgresUrl(url)) {
    if (!hasCommand('pg_dump'))
      throw new Error(
        `pg_dump is not installed; run: pg_dump ${PG_DUMP_ARGS.join(' ')} --file=${file} "$DATABASE_URL"`,
      );
    const result = spawnSync('pg_dump', [...PG_DUMP_ARGS, `--file=${file}`, url], { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`pg_dump failed: ${result.stderr.trim()}`);
    fs.chmodSync(file, 0o600);
    return { kind: 'postgres', bytes: fs.statSync(file).size };
  }
  const source = new Database(sqlitePathFromUrl(url), { fileMustExist: true });
  try {
    source.pragma('busy_timeout = 10000');
    await source.backup(file);
  } finally {
    source.close();
  }
  fs.chmodSync(file, 0o600);
  return { kind: 'sqlite', bytes: fs.statSync(file).size };
}

/** Restores into an empty database only (a missing or empty SQLite file, a PostgreSQL database without tables). */
export async function restoreDatabase(url: string, file: string): Promise<void> {
  if (!fs.existsSync(file)) throw new Error(`${file} does not exist`);
  if (isPostgresUrl(url)) {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query<{ n: string }>(
        `SELECT count(*) AS n FROM pg_tables WHERE schemaname IN ('public', 'drizzle')`,
      );
      if (Number(rows[0]?.n) > 0)
        throw new Error('the target database is not empty; restore into a new database');
    } finally {
      await client.end();
    }
    if (!hasCommand('pg_restore'))
      throw new Error(
        `pg_restore is not installed; run: pg_restore ${PG_RESTORE_ARGS.join(' ')} --dbname="$DATABASE_URL" ${file}`,
      );
    const result = spawnSync('pg_restore', [...PG_RESTORE_ARGS, `--dbname=${url}`, file], {
      encoding: 'utf8',
    });
    if (result.status !== 0) throw new Error(`pg_restore failed: ${result.stderr.trim()}`);
    return;
  }
  const target = sqlitePathFromUrl(url);
  if (fs.existsSync(target) && fs.statSync(target).size > 0) {
    const existing = new Database(target, { readonly: true });
    const tables = existing.prepare(`SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'`).get() as {
      n: number;
    };
    existing.close();
    if (tables.n > 0) throw new Error(`${target} is not empty; restore into a new file`);
  }
  for (const suffix of ['-wal', '-shm']) fs.rmSync(`${target}${suffix}`, { force: true });
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const source = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const check = source.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new Error(`${file} is damaged: ${String(check)}`);
    await source.backup(target);
  } finally {
    source.close();
  }
}
