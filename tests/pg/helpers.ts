import crypto from 'node:crypto';
import { Client } from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { closeDatabase } from '@/db/client';
import { migratePostgres } from '@/db/pg/migrate';

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
