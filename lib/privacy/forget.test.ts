import fs from 'node:fs';
import path from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { isPostgresMode, useTempDatabase } from '@/tests/helpers/db';
import { writeTransaction } from '@/db/client';
import { seedPrivacyFixtures } from '@/tests/fixtures/privacy';
import { buildMarketingMail } from '@/lib/outbox/marketing';
import { createExport } from './exports';
import { eraseCustomer, isTombstoned } from './forget';
import { recordConsentEvent, verifyLedger } from './ledger';
import { transferToRecipient } from './transfer';
import { unsubscribeIn } from './unsubscribe';
import { exportFilePath } from './exports';
import { createImportJob } from '@/db/store/imports';
import { hitRateLimit } from '@/db/store/rate-limits';
import { importFilePath } from '@/lib/import/run';

const db = useTempDatabase();

/** Every text/blob cell of every table, searched for a needle. */
async function tablesContaining(needle: string): Promise<string[]> {
  const hits: string[] = [];
  const postgres = isPostgresMode();
  const tables = (await db.all(
    postgres
      ? "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
      : "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
  )) as { name: string }[];
  for (const { name } of tables) {
    const cols = (await (postgres
      ? db.all(
          "SELECT column_name AS name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = ?",
          name,
        )
      : db.all(`PRAGMA table_info("${name}")`))) as { name: string }[];
    for (const col of cols) {
      const n = (await db.get(
        postgres
          ? `SELECT count(*) AS n FROM "${name}" WHERE strpos(lower(CAST("${col.name}" AS TEXT)), lower(?)) > 0`
          : `SELECT count(*) AS n FROM "${name}" WHERE instr(lower(CAST("${col.name}" AS TEXT)), lower(?)) > 0`,
        needle,
      )) as { n: number };
      if (n.n > 0) hits.push(`${name}.${col.name}`);
    }
  }
  return hits;
}

/** Every file under the data directory (database, WAL, exports, import uploads, …) holding the bytes. */
function filesContaining(dir: string, needle: string): string[] {
  const bytes = Buffer.from(needle.toLowerCase());
  return (fs.readdirSync(dir, { recursive: true }) as string[])
    .map((name) => path.join(dir, name))
    .filter((file) => fs.statSync(file).isFile())
    .filter((file) =>
      Buffer.from(fs.readFileSync(file).toString('latin1').toLowerCase(), 'latin1').includes(bytes),
    );
}

async function insertJourneyFor(customerId: number) {
  const j = (await db.get(
    "INSERT INTO journeys (name, status, created_at) VALUES ('J', 'live', ?) RETURNING id",
    Date.now(),
  )) as { id: number };
  const v = (await db.get(
    "INSERT INTO journey_versions (journey_id, is_draft, number, graph, created_at) VALUES (?, 0, 1, '{}', ?) RETURNING id",
    j.id,
    Date.now(),
  )) as { id: number };
  const e = (await db.get(
    "INSERT INTO enrollments (journey_id, version_id, customer_id, node_id, state, wait_key, run_at, context, entered_at, updated_at) VALUES (?, ?, ?, 'wait1', 'waiting', 'consent:newsletter', ?, ?, ?, ?) RETURNING id",
    j.id,
    v.id,
    customerId,
    Date.now() + 3600_000,
    JSON.stringify({ note: 'gathered' }),
    Date.now(),
    Date.now(),
  )) as { id: number };
  await db.run(
    "INSERT INTO step_events (enrollment_id, seq, journey_id, version_id, customer_id, node_id, step_type, outcome, reason, context, at) VALUES (?, 1, ?, ?, ?, 'send1', 'send-message', 'sent', 'sent because you confirmed the Newsletter', ?, ?)",
    e.id,
    j.id,
    v.id,
    customerId,
    JSON.stringify({ to: 'x' }),
    Date.now(),
  );
  return e.id;
}

describe('marketing mail, reference, transfer and forget', () => {
  it('escapes variables in HTML, adds a per-recipient link and RFC 8058 headers; one-click withdraws and cancels queued mail', async () => {
    const { customers } = await seedPrivacyFixtures(4);
    const c = customers[0];
    await db.run(
      'UPDATE customers SET name = ? WHERE id = ?',
      `<script>alert(1)</script> O'Brien; DROP TABLE customers;--`,
      c.id,
    );
    await writeTransaction(
      async (tx) =>
        await recordConsentEvent(tx, {
          customerId: c.id,
          purposeKey: 'newsletter',
          action: 'grant',
          source: 'form',
          evidence: {},
        }),
    );
    const mail = await writeTransaction(
      async (tx) =>
        await buildMarketingMail(tx, {
          customerId: c.id,
          purposeKey: 'newsletter',
          subject: 'Hi {{name}}\r\nBcc: evil@example.com',
          body: 'Dear {{name}},\n\n<b>{{offer}}</b>',
          variables: { offer: '<img src=x onerror=alert(1)>' },
        }),
    );
    if (!mail.ok) throw new Error(mail.reason);
    expect(mail.bodyHtml).not.toContain('<script>');
    expect(mail.bodyHtml).toContain('&lt;script&gt;');
    expect(mail.bodyHtml).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(mail.bodyHtml).toContain('&lt;b&gt;');
    expect(mail.subject).not.toMatch(/[\r\n]/);
    expect(mail.headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
    const link = /<(https?:\/\/[^>]+\/unsubscribe\/([A-Za-z0-9_-]{43}))>, <mailto:[^>]+>/.exec(
      mail.headers['List-Unsubscribe'],
    );
    expect(link).not.toBeNull();
    expect(mail.bodyText).toContain(link![1]);

    await db.run(
      "INSERT INTO outbox (kind, idempotency_key, category, customer_id, purpose_id, to_address, subject, body_text, status, next_attempt_at, created_at) VALUES ('email', 'q1', 'marketing', ?, ?, ?, 's', 'b', 'queued', ?, ?)",
      c.id,
      mail.purposeId,
      mail.toAddress,
      Date.now(),
      Date.now(),
    );
    const result = await writeTransaction(
      async (tx) => await unsubscribeIn(tx, link![2], { scope: 'purpose', method: 'one-click', client: {} }),
    );
    expect(result.ok).toBe(true);
    expect(
      await db.get("SELECT status, cancel_reason FROM outbox WHERE idempotency_key = 'q1'"),
    ).toMatchObject({ status: 'cancelled' });
    // The name is stored exactly as given.
    expect(
      ((await db.get('SELECT name FROM customers WHERE id = ?', c.id)) as { name: string }).name,
    ).toContain('DROP TABLE customers');
  });

  it('transfers to a recipient only with consent for that purpose', async () => {
    const c = ((await db.get('SELECT id FROM customers ORDER BY id LIMIT 1 OFFSET 1')) as { id: number }).id;
    await db.run(
      "INSERT INTO webhooks (name, url, events, secret, recipient_key, created_at) VALUES ('coop', 'http://127.0.0.1:9/hook', '[]', 'sekret', 'avocado-coop', ?)",
      Date.now(),
    );
    const refused = await writeTransaction(
      async (tx) =>
        await transferToRecipient(tx, c, { purposeKey: 'partner-transfer', recipientKey: 'avocado-coop' }),
    );
    expect(refused.delivered).toBe(false);
    await writeTransaction(
      async (tx) =>
        await recordConsentEvent(tx, {
          customerId: c,
          purposeKey: 'partner-transfer',
          action: 'grant',
          source: 'form',
          evidence: {},
        }),
    );
    const delivered = await writeTransaction(
      async (tx) =>
        await transferToRecipient(tx, c, { purposeKey: 'partner-transfer', recipientKey: 'avocado-coop' }),
    );
    expect(delivered.delivered).toBe(true);
    expect(
      await db.get(
        "SELECT count(*) AS n FROM outbox WHERE kind = 'webhook' AND category = 'transfer' AND customer_id = ?",
        c,
      ),
    ).toEqual({ n: 1 });
  });

  it('forget mid-journey: erases the address from every table, export file and the checkpointed db file; stops journeys and mail', async () => {
    const c = (await db.get('SELECT id, email FROM customers ORDER BY id LIMIT 1 OFFSET 1')) as {
      id: number;
      email: string;
    };
    const enrollmentId = await insertJourneyFor(c.id);
    await db.run(
      "INSERT INTO events (customer_id, name, properties, occurred_at, created_at) VALUES (?, 'order', ?, ?, ?)",
      c.id,
      JSON.stringify({ email: c.email }),
      Date.now(),
      Date.now(),
    );
    await writeTransaction(
      async (tx) =>
        await recordConsentEvent(tx, {
          customerId: c.id,
          purposeKey: 'newsletter',
          action: 'grant',
          source: 'form',
          evidence: { ip: '10.0.0.0', note: c.email },
        }),
    );
    const mail = await writeTransaction(
      async (tx) =>
        await buildMarketingMail(tx, {
          customerId: c.id,
          purposeKey: 'newsletter',
          subject: 'Hello {{name}}',
          body: 'Hi',
        }),
    );
    if (!mail.ok) throw new Error('mail');
    await db.run(
      "INSERT INTO outbox (kind, idempotency_key, category, customer_id, purpose_id, to_address, subject, body_text, body_html, headers, status, next_attempt_at, created_at) VALUES ('email', 'q2', 'marketing', ?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?)",
      c.id,
      mail.purposeId,
      mail.toAddress,
      mail.subject,
      mail.bodyText,
      mail.bodyHtml,
      JSON.stringify(mail.headers),
      Date.now(),
      Date.now(),
    );
    const exp = await writeTransaction(async (tx) => await createExport(tx, c.id));
    const file = (await db.get('SELECT file_name FROM exports WHERE id = ?', exp.exportId)) as {
      file_name: string;
    };
    const zip = unzipSync(new Uint8Array(fs.readFileSync(exportFilePath(file.file_name))));
    expect(Object.keys(zip).sort()).toEqual([
      'blocks.csv',
      'consents.csv',
      'data.json',
      'decisions.csv',
      'messages.csv',
      'profile.csv',
      'purposes.csv',
      'summary.html',
    ]);
    expect(JSON.parse(strFromU8(zip['data.json'])).journeys.decisions[0].reason).toContain('sent because');
    // Copies outside the profile: cached API answers (one showing an address the person had
    // before, tagged with their id; one quoting the current address), a rate-limit bucket named
    // by the address, and a CSV upload from a dry run that was never followed up.
    const oldAddress = `before-${c.email}`;
    await db.run(
      "INSERT INTO idempotency_keys (api_key_id, key, request_hash, status, body, customer_id, created_at) VALUES (1, 'k-old', 'h', 200, ?, ?, ?), (1, 'k-cur', 'h', 200, ?, NULL, ?)",
      JSON.stringify({ customer: { id: c.id, email: oldAddress } }),
      c.id,
      Date.now(),
      JSON.stringify({ echo: c.email.toUpperCase() }),
      Date.now(),
    );
    await hitRateLimit(`optin-resend:${c.email}`, 5, 60_000);
    const upload = importFilePath((await createImportJob({ fileName: 'list.csv', createdBy: null })).id);
    fs.mkdirSync(path.dirname(upload), { recursive: true });
    fs.writeFileSync(upload, `email,name\nsomeone.else@example.test,A\n${c.email.toUpperCase()},B\n`);
    expect((await tablesContaining(c.email)).length).toBeGreaterThan(0);
    expect(await tablesContaining(oldAddress)).toEqual(['idempotency_keys.body']);
    expect(filesContaining(db.dir(), c.email).length).toBeGreaterThan(0);

    const result = await eraseCustomer(c.id, { actor: 'user:1' });
    expect(result.ok).toBe(true);
    expect(await tablesContaining(c.email)).toEqual([]);
    expect(await tablesContaining(oldAddress)).toEqual([]);
    expect(fs.existsSync(upload)).toBe(false);
    if (result.ok)
      expect(result.value.receipt.erased).toMatchObject({ cachedResponses: 2, importUploads: 1 });
    expect(fs.existsSync(exportFilePath(file.file_name))).toBe(false);
    expect(await db.get('SELECT state, context FROM enrollments WHERE id = ?', enrollmentId)).toEqual({
      state: 'cancelled',
      context: '{}',
    });
    expect(await db.get("SELECT status FROM outbox WHERE idempotency_key = 'q2'")).toEqual({
      status: 'cancelled',
    });
    expect(await isTombstoned(db.handle().db, c.email.toUpperCase())).toBe(true);
    expect((await verifyLedger()).ok).toBe(true);

    // Byte-level: no file in the data directory holds the address any more: on SQLite the
    // database file, its WAL and shared-memory file (secure_delete, checkpoint); on both stores the
    // exports, import uploads and secrets.
    expect(filesContaining(db.dir(), c.email)).toEqual([]);
    expect(filesContaining(db.dir(), oldAddress)).toEqual([]);
    if (!isPostgresMode()) {
      const dbFile = fs.readFileSync(db.file());
      expect(dbFile.includes(Buffer.from(c.email))).toBe(false);
      const wal = `${db.file()}-wal`;
      if (fs.existsSync(wal)) expect(fs.readFileSync(wal).includes(Buffer.from(c.email))).toBe(false);
    }
  });
});

describe('export expiry', () => {
  it('deletes files whose 7-day link ran out; the link then answers 410', async () => {
    const { purgeExpiredExports, findExport } = await import('./exports');
    const c = (await db.get("SELECT id FROM customers WHERE status = 'active' ORDER BY id LIMIT 1")) as {
      id: number;
    };
    const created = await writeTransaction(async (tx) => await createExport(tx, c.id));
    const raw = created.url.split('/export/')[1];
    expect(await findExport(db.handle().db, raw)).toMatchObject({ ok: true });
    const file = (await db.get('SELECT file_name FROM exports WHERE id = ?', created.exportId)) as {
      file_name: string;
    };
    expect(await purgeExpiredExports(new Date())).toBe(0);
    expect(await purgeExpiredExports(new Date(Date.now() + 8 * 86_400_000))).toBeGreaterThanOrEqual(1);
    expect(fs.existsSync(exportFilePath(file.file_name))).toBe(false);
    expect(await findExport(db.handle().db, raw, new Date())).toMatchObject({
      ok: false,
      error: { code: 'gone' },
    });
  });
});
