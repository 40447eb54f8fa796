import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { expect, type Page } from '@playwright/test';

export type E2eEnv = {
  dataDir: string;
  mailbox: string;
  baseUrl: string;
  databaseUrl: string;
  password: string;
  /** Which store the e2e server runs on (E2E_STORE); older env files have none (SQLite). */
  store?: 'sqlite' | 'postgres';
  /** The loopback port the server allows webhooks to reach (TARMO_WEBHOOK_ALLOW_HOSTS). */
  webhookReceiverPort: number;
  /** The web app's and the worker's JSON log lines. */
  serverLog: string;
  /** TARMO_METRICS_TOKEN of the e2e server. */
  metricsToken: string;
  /** TARMO_WORKER_METRICS_PORT of the e2e worker. */
  workerMetricsPort: number;
  /** The test OpenID Connect provider's issuer (scripts/lib/oidc-test-provider.mjs). */
  oidcIssuer: string;
};

export function e2eEnv(): E2eEnv {
  const port = Number(process.env.E2E_PORT || 3100);
  return JSON.parse(fs.readFileSync(path.resolve(`.e2e-env-${port}.json`), 'utf8')) as E2eEnv;
}

export const DEMO_USERS = {
  marketer: 'marketer@tarmo.demo',
  compliance: 'compliance@tarmo.demo',
  admin: 'admin@tarmo.demo',
} as const;

export async function loginAs(page: Page, role: keyof typeof DEMO_USERS, target = '/journeys') {
  await page.goto(`/login?callbackUrl=${encodeURIComponent(target)}`);
  await page.getByLabel('Email').fill(DEMO_USERS[role]);
  await page.getByLabel('Password').fill(e2eEnv().password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(new RegExp(target.replace(/[/?]/g, '\\$&')));
}

/** True when the suite runs with E2E_STORE=postgres (the e2e server's store is PostgreSQL). */
export function isPostgresStore(): boolean {
  return process.env.E2E_STORE === 'postgres';
}

// Rows as the store reads them on both databases: counts and bigint timestamps as numbers, JSON
// as its text (db/pg/pool.ts does the same for the app).
const INT8 = 20;
const NUMERIC = 1700;
const JSON_OID = 114;
const JSONB = 3802;
const rowTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8 || oid === NUMERIC) return (value: string) => Number(value);
    if (oid === JSON_OID || oid === JSONB) return (value: string) => value;
    return pg.types.getTypeParser(oid, format);
  },
} as pg.CustomTypesConfig;

let pgPool: { url: string; pool: pg.Pool } | undefined;

/** `?` placeholders (outside quotes) to PostgreSQL's `$n`. */
function numberedPlaceholders(text: string): string {
  let n = 0;
  return text.replace(/'(?:[^']|'')*'|"(?:[^"]|"")*"|\?/g, (match) => (match === '?' ? `$${++n}` : match));
}

/**
 * Read-only look into the test database (tests never write through this), on SQLite or
 * PostgreSQL. Keep the SQL portable: `?` placeholders, booleans as 0/1, camelCase aliases quoted.
 */
export async function dbAll<T>(text: string, ...params: unknown[]): Promise<T[]> {
  const url = e2eEnv().databaseUrl;
  if (/^postgres(ql)?:\/\//i.test(url)) {
    if (pgPool?.url !== url) {
      await pgPool?.pool.end();
      pgPool = {
        url,
        pool: new pg.Pool({
          connectionString: url,
          max: 2,
          types: rowTypes,
          allowExitOnIdle: true,
          options: '-c default_transaction_read_only=on',
        }),
      };
    }
    return (await pgPool.pool.query(numberedPlaceholders(text), params)).rows as T[];
  }
  const db = new Database(url.replace(/^file:/, ''), { readonly: true });
  try {
    return db.prepare(text).all(...params) as T[];
  } finally {
    db.close();
  }
}

/** The first row of a read-only query (see dbAll), or undefined. */
export async function dbGet<T>(text: string, ...params: unknown[]): Promise<T | undefined> {
  return (await dbAll<T>(text, ...params))[0];
}

/** The first row of a read-only query (see dbAll); fails when there is none. */
export async function dbOne<T>(text: string, ...params: unknown[]): Promise<T> {
  const row = await dbGet<T>(text, ...params);
  if (row === undefined) throw new Error(`no row for: ${text}`);
  return row;
}

export type ReceivedMail = {
  to: string;
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
};

/** Mails the real SMTP sink received, optionally filtered by recipient. */
export function mailbox(to?: string): ReceivedMail[] {
  const file = e2eEnv().mailbox;
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as ReceivedMail)
    .filter((mail) => !to || mail.to.toLowerCase().includes(to.toLowerCase()));
}

export async function waitForMail(
  to: string,
  predicate: (m: ReceivedMail) => boolean = () => true,
  timeoutMs = 15_000,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = mailbox(to).find(predicate);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no mail to ${to} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
