import { sql } from 'drizzle-orm';
import { getDb, queryGet } from '../client';

export async function databaseAnswers(): Promise<boolean> {
  try {
    return (await queryGet<{ ok: number }>(getDb(), sql`select 1 as ok`))?.ok === 1;
  } catch {
    return false;
  }
}
