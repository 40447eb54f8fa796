import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { sqlGet, sqlRun, type Db } from '@/db/client';
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

/** A purpose with an English notice and n customers, through the store's handle. */
export async function seedConsentWorld(
  db: Db,
  n: number,
  key = 'newsletter',
): Promise<{ purposeId: number; customerIds: number[] }> {
  const now = Date.now();
  const purpose = await sqlGet<{ id: number }>(
    db,
    `INSERT INTO purposes (key, name, legal_basis, retention_days, created_at) VALUES (?, 'Newsletter', 'consent', 730, ?) RETURNING id`,
    [key, now],
  );
  const purposeId = purpose!.id;
  await sqlRun(
    db,
    `INSERT INTO notices (purpose_id, version, locale, text, text_hash, created_at) VALUES (?, 1, 'en', 'We send news.', 'notice-hash-1', ?)`,
    [purposeId, now],
  );
  const customerIds: number[] = [];
  for (let i = 1; i <= n; i++) {
    const row = await sqlGet<{ id: number }>(
      db,
      `INSERT INTO customers (email, created_at) VALUES (?, ?) RETURNING id`,
      [`${key}-${i}@example.test`, now],
    );
    customerIds.push(row!.id);
  }
  return { purposeId, customerIds };
}
