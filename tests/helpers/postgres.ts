import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { closeDatabase } from '@/db/client';
import { migrateDatabase } from '@/db/migrate';
import { migratePostgres } from '@/db/pg/migrate';
import { resetAppEnv } from '@/lib/config/env';

/** e.g. postgres://postgres@127.0.0.1:5432/test; unset on machines without PostgreSQL. */
export const TEST_POSTGRES_URL = process.env.TEST_POSTGRES_URL;

/**
 * true when the PostgreSQL suites should be skipped. Prints why, once per file, so a skipped
 * suite is visible in the output. With CI=true and the variable set, an unreachable server is a
 * failure (the suite runs and its setup throws), never a silent skip.
 */
export function skipWithoutPostgres(file: string): boolean {
  if (TEST_POSTGRES_URL) return false;
  console.warn(
    `[${file}] skipped: TEST_POSTGRES_URL is not set (e.g. postgres://postgres@127.0.0.1:5432/test)`,
  );
  return true;
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function admin<T>(fn: (client: Client) => Promise<T>): Promise<T> {
  if (!TEST_POSTGRES_URL) throw new Error('TEST_POSTGRES_URL is not set');
  const client = new Client({ connectionString: TEST_POSTGRES_URL, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`PostgreSQL at TEST_POSTGRES_URL is not reachable: ${message}`);
  }
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export async function createScratchDatabase(prefix = 'tarmo_t'): Promise<string> {
  const name = `${prefix}_${crypto.randomBytes(6).toString('hex')}`;
  await admin((client) => client.query(`CREATE DATABASE "${name}"`));
  return withDatabase(TEST_POSTGRES_URL ?? '', name);
}

export async function dropScratchDatabase(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`refusing to drop ${name}`);
  await admin((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}

/**
 * A fresh scratch database per test file, with the real PostgreSQL migrations applied
 * (unless migrate is false), dropped afterwards.
 */
export function useScratchPostgres(options: { migrate?: boolean } = {}): { url: () => string } {
  let url = '';
  beforeAll(async () => {
    url = await createScratchDatabase();
    if (options.migrate !== false) await migratePostgres(url);
  });
  afterAll(async () => {
    if (!url) return;
    await closeDatabase(url);
    await dropScratchDatabase(url);
  });
  return {
    url: () => {
      if (!url) throw new Error('scratch database not ready: call inside a test');
      return url;
    },
  };
}

/**
 * A scratch database that is the app's own for this test file: DATABASE_URL and a fresh
 * TARMO_DATA_DIR (the ledger key lives there) point at it, so the app's default handle and worker
 * processes started by the test use it too; migrated, then `seed` runs once. Dropped, with the
 * directory, after the file.
 */
export function usePostgresWorkspace(
  prefix: string,
  seed?: (url: string) => Promise<unknown>,
): { url: () => string; dir: () => string } {
  let url = '';
  let dir = '';
  beforeAll(async () => {
    url = await createScratchDatabase(prefix);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), `${prefix.replace(/_/g, '-')}-`));
    process.env.DATABASE_URL = url;
    process.env.TARMO_DATA_DIR = dir;
    resetAppEnv();
    await migrateDatabase(url);
    await seed?.(url);
  }, 60_000);
  afterAll(async () => {
    if (url) {
      await closeDatabase(url);
      await dropScratchDatabase(url);
    }
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });
  const ready = (value: string) => {
    if (!value) throw new Error('scratch workspace not ready: call inside a test');
    return value;
  };
  return { url: () => ready(url), dir: () => ready(dir) };
}
