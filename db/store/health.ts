import { sql } from 'drizzle-orm';
import { getDb } from '../client';

export async function databaseAnswers(): Promise<boolean> {
  try {
    return getDb().get<{ ok: number }>(sql`select 1 as ok`)?.ok === 1;
  } catch {
    return false;
  }
}
