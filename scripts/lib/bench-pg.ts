/** What the PostgreSQL benchmarks share: the server to use, admin statements on it, raw COPY. */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { isPostgresUrl } from '@/db/pg/pool';

/**
 * The server a PostgreSQL benchmark creates its scratch databases on: `--url`, else
 * TEST_POSTGRES_URL, else a postgres:// DATABASE_URL. Exits with the usage line when there is none.
 */
export function postgresBenchUrl(flag: string | undefined, command: string): string {
  const url =
    flag ??
    process.env.TEST_POSTGRES_URL ??
    (isPostgresUrl(process.env.DATABASE_URL) ? process.env.DATABASE_URL : undefined);
  if (!url || !isPostgresUrl(url)) {
    console.error(
      `usage: ${command} -- --store postgres --url postgres://user@host:5432/db (or TEST_POSTGRES_URL)`,
    );
    process.exit(2);
  }
  return url;
}

/** One statement on its own connection (CREATE / DROP DATABASE cannot run in a transaction). */
export async function pgAdmin(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * `COPY … FROM STDIN` (text format) of `lines` (each a row ending in a newline) on `client`,
 * streamed in chunks of about 64 KiB with backpressure; resolves with the rows COPY reports.
 */
export async function copyFromLines(
  client: pg.Client,
  sql: string,
  lines: Iterable<string>,
): Promise<number> {
  function* chunks() {
    let chunk = '';
    for (const line of lines) {
      chunk += line;
      if (chunk.length >= 65536) {
        yield chunk;
        chunk = '';
      }
    }
    if (chunk) yield chunk;
  }
  const copy = client.query(copyFrom(sql));
  await pipeline(Readable.from(chunks()), copy);
  return copy.rowCount;
}
