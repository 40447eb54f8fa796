import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { expect, type Page } from '@playwright/test';

export type E2eEnv = {
  dataDir: string;
  mailbox: string;
  baseUrl: string;
  databaseUrl: string;
  password: string;
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

/** Read-only look into the test database (tests never write through this). */
export function readDb<T>(fn: (db: Database.Database) => T): T {
  const db = new Database(e2eEnv().databaseUrl.replace(/^file:/, ''), { readonly: true });
  try {
    return fn(db);
  } finally {
    db.close();
  }
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
