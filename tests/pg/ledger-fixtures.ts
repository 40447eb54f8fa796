import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Pool } from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { resetAppEnv } from '@/lib/config/env';

/** The ledger key lives in data/secrets: point this file at a temp data dir of its own. */
export function useTempDataDir(): { dir: () => string } {
  let dir = '';
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tarmo-pg-data-'));
    process.env.TARMO_DATA_DIR = dir;
    resetAppEnv();
  });
  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return { dir: () => dir };
}

/** A purpose with an English notice and n customers. */
export async function seedConsentWorld(
  pool: Pool,
  n: number,
  key = 'newsletter',
): Promise<{ purposeId: number; customerIds: number[] }> {
  const now = Date.now();
  const purpose = await pool.query<{ id: number }>(
    `INSERT INTO purposes (key, name, legal_basis, retention_days, created_at) VALUES ($1, 'Newsletter', 'consent', 730, $2) RETURNING id`,
    [key, now],
  );
  const purposeId = purpose.rows[0].id;
  await pool.query(
    `INSERT INTO notices (purpose_id, version, locale, text, text_hash, created_at) VALUES ($1, 1, 'en', 'We send news.', 'notice-hash-1', $2)`,
    [purposeId, now],
  );
  const customers = await pool.query<{ id: number }>(
    `INSERT INTO customers (email, created_at) SELECT $1 || '-' || g || '@example.test', $2 FROM generate_series(1, $3::int) g RETURNING id`,
    [key, now, n],
  );
  return { purposeId, customerIds: customers.rows.map((row) => row.id) };
}
