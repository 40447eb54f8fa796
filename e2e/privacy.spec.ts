import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { expect, test, type APIRequestContext } from '@playwright/test';
import { dbAll, dbGet, dbOne, e2eEnv, isPostgresStore, loginAs, waitForMail, mailbox } from './helpers';
import { createKey, runWithAppEnv } from './api-support';

const unique = () => `${Date.now()}-${crypto.randomBytes(3).toString('hex')}`;
const randomToken = () => crypto.randomBytes(32).toString('base64url');

async function customerIdByEmail(email: string): Promise<number | undefined> {
  return (await dbGet<{ id: number }>('SELECT id FROM customers WHERE email = ?', email))?.id;
}

async function consentState(customerId: number, purposeKey: string): Promise<string> {
  return (
    (
      await dbGet<{ state: string }>(
        "SELECT s.state FROM consent_state s JOIN purposes p ON p.id = s.purpose_id WHERE s.customer_id = ? AND p.key = ? AND s.theme_key = ''",
        customerId,
        purposeKey,
      )
    )?.state ?? 'not-asked'
  );
}

async function waitFor<T>(fn: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value !== undefined && value !== null && value !== false) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The opt-in link from the confirmation mail the SMTP sink received. */
async function optInToken(email: string): Promise<string> {
  const mail = await waitForMail(email, (m) => /\/optin\//.test(m.text));
  const token = /\/optin\/([A-Za-z0-9_-]{43})/.exec(mail.text)?.[1];
  if (!token) throw new Error('no opt-in link');
  return token;
}

async function subscribe(request: APIRequestContext, email: string, purposes = ['newsletter']) {
  return request.post('/api/v1/subscribe', { data: { email, purposes, noticeVersion: 1 } });
}

/** A demo customer with the newsletter granted and no block, different for each caller. */
function grantedCustomer(offset: number): Promise<{ id: number; email: string }> {
  return dbOne<{ id: number; email: string }>(
    `SELECT c.id, c.email FROM customers c JOIN consent_state s ON s.customer_id = c.id JOIN purposes p ON p.id = s.purpose_id
     WHERE p.key = 'newsletter' AND s.theme_key = '' AND s.state = 'granted' AND c.status = 'active'
       AND NOT EXISTS (SELECT 1 FROM contact_blocks b WHERE b.customer_id = c.id)
     ORDER BY c.id LIMIT 1 OFFSET ?`,
    offset,
  );
}

async function ledgerCount(): Promise<number> {
  return (await dbOne<{ n: number }>('SELECT count(*) AS n FROM consent_events')).n;
}

test.describe('privacy: double opt-in', () => {
  test('public sign-up answers the same for new, known, subscribed and invalid-looking-but-valid addresses', async ({
    request,
  }) => {
    const known = (
      await dbOne<{ email: string }>(
        "SELECT email FROM customers WHERE status = 'active' ORDER BY id LIMIT 1",
      )
    ).email;
    const subscribed = (await grantedCustomer(0)).email;
    const bodies = new Set<string>();
    const timings: Record<string, number[]> = { new: [], known: [] };
    for (let i = 0; i < 6; i++) {
      for (const [kind, email] of [
        ['new', `new-${unique()}@example.org`],
        ['known', i % 2 ? known : subscribed],
      ] as const) {
        const started = performance.now();
        const response = await subscribe(request, email);
        timings[kind].push(performance.now() - started);
        expect(response.status()).toBe(202);
        bodies.add(await response.text());
      }
    }
    expect(bodies.size).toBe(1);
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    // The work happens after the response: no timing tell beyond noise.
    expect(Math.abs(median(timings.new) - median(timings.known))).toBeLessThan(60);
  });

  test('a third party signing a victim up only causes one opt-in mail and no consent; a GET scanner changes nothing; the click confirms once', async ({
    request,
    page,
  }) => {
    const victim = `victim-${unique()}@example.org`;
    for (let i = 0; i < 5; i++) expect((await subscribe(request, victim)).status()).toBe(202);
    const token = await optInToken(victim);
    const customerId = await waitFor(() => customerIdByEmail(victim));
    await new Promise((r) => setTimeout(r, 1500));
    // Mail bombing: five sign-ups, one mail.
    expect(mailbox(victim)).toHaveLength(1);
    const outbox = await dbAll<{ category: string }>(
      "SELECT category FROM outbox WHERE customer_id = ? AND kind = 'email'",
      customerId,
    );
    expect(outbox.map((o) => o.category)).toEqual(['optin']);
    expect(await consentState(customerId, 'newsletter')).toBe('pending');

    // A link scanner fetching the link (and HEAD) does not confirm.
    const before = await ledgerCount();
    for (let i = 0; i < 3; i++) expect((await request.get(`/optin/${token}`)).status()).toBe(200);
    expect(await ledgerCount()).toBe(before);
    expect(await consentState(customerId, 'newsletter')).toBe('pending');

    await page.goto(`/optin/${token}`);
    await expect(page.getByRole('heading', { level: 1 })).toContainText('Newsletter');
    await expect(page.getByTestId('notice-text')).toContainText('newsletter');
    await expect(page.locator('input[type=checkbox]:checked')).toHaveCount(0);
    await page.getByRole('button', { name: 'Yes, I confirm' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Thank you, confirmed');
    expect(await consentState(customerId, 'newsletter')).toBe('granted');
    const evidence = await dbOne<{ details: string }>(
      "SELECT d.details FROM consent_events e JOIN consent_evidence d ON d.event_id = e.id WHERE e.customer_id = ? AND e.action = 'grant'",
      customerId,
    );
    expect(JSON.parse(evidence.details)).toMatchObject({ method: 'double-opt-in', noticeVersion: 1 });
    expect(JSON.parse(evidence.details).userAgent).toBeTruthy();

    // Replay: used link → the friendly page with 410, same wording as an unknown link.
    const replay = await request.post(`/optin/${token}`);
    expect(replay.status()).toBe(410);
    const unknown = await request.post(`/optin/${randomToken()}`);
    expect(unknown.status()).toBe(404);
    const title = (html: string) => /<h1>(.*?)<\/h1>/.exec(html)?.[1];
    expect(title(await replay.text())).toBe(title(await unknown.text()));
    for (const bad of [
      token.slice(0, 20),
      `${token.slice(0, -1)}A`,
      "x' OR '1'='1",
      '%00',
      'a'.repeat(5000),
    ]) {
      const res = await request.get(`/optin/${encodeURIComponent(bad)}`);
      expect([404, 410]).toContain(res.status());
    }
  });

  test('oversized bodies get 413', async ({ request }) => {
    const big = await request.post('/api/v1/subscribe', {
      data: {
        email: 'a@example.org',
        purposes: ['newsletter'],
        noticeVersion: 1,
        themes: Array(3000).fill('recipes'),
      },
    });
    expect(big.status()).toBe(413);
    const form = await request.post(`/unsubscribe/${randomToken()}`, {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      data: `x=${'a'.repeat(100_000)}`,
    });
    expect(form.status()).toBe(413);
  });
});

test.describe('privacy: unsubscribe and preferences', () => {
  test('marketing mail carries RFC 8058 headers; one-click POST without cookies withdraws at once', async ({
    playwright,
  }) => {
    const customer = await grantedCustomer(3);
    expect(
      JSON.parse(runWithAppEnv(['e2e/privacy-fixtures.ts', 'queue-mail', String(customer.id), 'newsletter'])),
    ).toEqual({ ok: true });
    const mail = await waitForMail(customer.email, (m) => m.subject.startsWith('News for'));
    // mailparser groups the List-* headers (under "list"); search them all as received.
    const headers = JSON.stringify(mail.headers);
    expect(headers).toContain('List-Unsubscribe=One-Click');
    const link = /(https?:\/\/[^"<>\\]+\/unsubscribe\/[A-Za-z0-9_-]{43})/.exec(headers)?.[1];
    expect(link).toBeTruthy();
    expect(headers).toMatch(/unsubscribe@/);
    // The helper process has no APP_URL, so links name the default host: follow the path here.
    const url = new URL(link!).pathname;

    // A GET (link scanner) changes nothing.
    // A fresh context: no cookies, no CSRF token, as a mail provider's server would post.
    const anon = await playwright.request.newContext({ baseURL: e2eEnv().baseUrl });
    const page = await anon.get(url);
    expect(page.status()).toBe(200);
    expect(await consentState(customer.id, 'newsletter')).toBe('granted');

    const response = await anon.post(url, {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      data: 'List-Unsubscribe=One-Click',
    });
    expect(response.status()).toBe(200);
    expect(await consentState(customer.id, 'newsletter')).toBe('withdrawn');
    // Twice is the same as once.
    const events = await ledgerCount();
    expect((await anon.post(url, { form: { 'List-Unsubscribe': 'One-Click' } })).status()).toBe(200);
    expect(await ledgerCount()).toBe(events);
    await anon.dispose();
  });

  test('preference center: nothing pre-ticked that was not given, themes on/off, history, export link for only this person', async ({
    page,
    request,
  }) => {
    const customer = await grantedCustomer(5);
    expect(
      JSON.parse(
        runWithAppEnv([
          'e2e/privacy-fixtures.ts',
          'queue-mail',
          String(customer.id),
          'newsletter',
          'Prefs test',
        ]),
      ),
    ).toEqual({ ok: true });
    const mail = await waitForMail(customer.email, (m) => m.subject === 'Prefs test');
    const prefs = /(\/preferences\/[A-Za-z0-9_-]{43})/.exec(mail.text)?.[1];
    expect(prefs).toBeTruthy();

    await page.goto(prefs!);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    // Offers were never granted to this customer unless the seed did: the box mirrors the ledger.
    const offersState = await consentState(customer.id, 'personalised-offers');
    await expect(page.locator('input[name=purpose][value="personalised-offers"]')).toBeChecked({
      checked: offersState === 'granted',
    });
    await page.locator('input[name=theme][value="newsletter:events"]').check();
    await page.locator('form:has(input[name=action][value=save]) button[type=submit]').click();
    await expect(page.getByRole('status')).toBeVisible();
    const themeState = (
      await dbOne<{ state: string }>(
        "SELECT s.state FROM consent_state s JOIN purposes p ON p.id = s.purpose_id WHERE s.customer_id = ? AND p.key = 'newsletter' AND s.theme_key = 'events'",
        customer.id,
      )
    ).state;
    expect(themeState).toBe('granted');

    await page.locator('form:has(input[name=action][value=export]) button').click();
    await expect(page.getByRole('status')).toBeVisible();
    const exportMail = await waitForMail(customer.email, (m) => /\/export\//.test(m.text));
    const exportUrl = /(https?:\/\/\S+\/export\/[A-Za-z0-9_-]{43})/.exec(exportMail.text)?.[1];
    expect(exportUrl).toBeTruthy();
    const zip = await request.get(exportUrl!, { headers: { accept: 'application/zip' } });
    expect(zip.status()).toBe(200);
    expect(zip.headers()['content-type']).toContain('application/zip');
    const other = await grantedCustomer(6);
    const body = await zip.body();
    expect(body.length).toBeGreaterThan(500);
    // Someone else's export link cannot be guessed or derived from this one.
    const tampered = exportUrl!.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
    expect((await request.get(tampered)).status()).toBe(404);
    expect((await request.get(`/export/${randomToken()}`)).status()).toBe(404);
    expect(other.email).not.toBe(customer.email);
    const downloads = (
      await dbOne<{ n: number }>("SELECT count(*) AS n FROM audit_log WHERE action = 'export.downloaded'")
    ).n;
    expect(downloads).toBeGreaterThanOrEqual(1);
  });
});

test.describe('privacy: forget', () => {
  test('erasure in the middle of a journey removes the address everywhere, stops the journey and cancels mail', async ({
    page,
    request,
  }) => {
    const customer = await grantedCustomer(8);
    // Into the live demo journey (entry on the event 'signed-up'); it ends up waiting.
    const key = createKey(`privacy-e2e-${unique()}`, 'read,write,privacy');
    const event = await request.post('/api/v1/events', {
      headers: { authorization: `Bearer ${key}` },
      data: { customerId: customer.id, name: 'signed-up', properties: { note: customer.email } },
    });
    expect(event.status()).toBe(202);
    await waitFor(
      () =>
        dbGet<{ id: number }>(
          "SELECT id FROM enrollments WHERE customer_id = ? AND state IN ('waiting','active')",
          customer.id,
        ),
      20_000,
    );
    expect(
      JSON.parse(
        runWithAppEnv([
          'e2e/privacy-fixtures.ts',
          'queue-mail',
          String(customer.id),
          'newsletter',
          'Before erasure',
        ]),
      ),
    ).toEqual({ ok: true });

    // The person asks for their data first, so an export file exists before the erasure.
    const mail = await waitForMail(customer.email, (m) => m.subject === 'Before erasure');
    const prefs = /(\/preferences\/[A-Za-z0-9_-]{43})/.exec(mail.text)?.[1];
    expect((await request.post(prefs!, { form: { action: 'export' } })).status()).toBe(200);
    const exportFile = await waitFor(() =>
      dbGet<{ file_name: string }>('SELECT file_name FROM exports WHERE customer_id = ?', customer.id),
    );
    const env = e2eEnv();
    const exportPath = path.join(env.dataDir, 'exports', exportFile.file_name);
    expect(fs.existsSync(exportPath)).toBe(true);
    // And one more mail is queued when the erasure comes.
    expect(
      JSON.parse(runWithAppEnv(['e2e/privacy-fixtures.ts', 'queue-mail', String(customer.id), 'newsletter'])),
    ).toEqual({ ok: true });

    await loginAs(page, 'compliance', `/customers/${customer.id}`);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await page.getByLabel('I understand this cannot be undone').check();
    await page.getByLabel('Type ERASE to confirm').fill('ERASE');
    await page.getByRole('button', { name: 'Forget customer' }).click();
    await expect(page.getByRole('status')).toContainText(/erased|restricted/);

    const running = await dbOne<{ n: number }>(
      "SELECT count(*) AS n FROM enrollments WHERE customer_id = ? AND state NOT IN ('completed','exited','cancelled','failed')",
      customer.id,
    );
    expect(running.n).toBe(0);
    const queued = await dbOne<{ n: number }>(
      "SELECT count(*) AS n FROM outbox WHERE customer_id = ? AND kind = 'email' AND status = 'queued'",
      customer.id,
    );
    expect(queued.n).toBe(0);

    // Every column of every table, on either store.
    const columns = isPostgresStore()
      ? await dbAll<{ tableName: string; columnName: string }>(
          `SELECT c.table_name AS "tableName", c.column_name AS "columnName"
             FROM information_schema.columns c
             JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
            WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
            ORDER BY c.table_name, c.ordinal_position`,
        )
      : await dbAll<{ tableName: string; columnName: string }>(
          `SELECT m.name AS "tableName", p.name AS "columnName"
             FROM sqlite_master m JOIN pragma_table_info(m.name) p
            WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'
            ORDER BY m.name, p.cid`,
        );
    expect(columns.length).toBeGreaterThan(20);
    const find = isPostgresStore() ? 'strpos' : 'instr';
    const hits: string[] = [];
    for (const { tableName, columnName } of columns) {
      const n = await dbOne<{ n: number }>(
        `SELECT count(*) AS n FROM "${tableName}" WHERE ${find}(lower(CAST("${columnName}" AS TEXT)), ?) > 0`,
        customer.email.toLowerCase(),
      );
      if (n.n) hits.push(`${tableName}.${columnName}`);
    }
    expect(hits).toEqual([]);
    expect(fs.existsSync(exportPath)).toBe(false);
    const exportsDir = path.join(env.dataDir, 'exports');
    for (const file of fs.existsSync(exportsDir) ? fs.readdirSync(exportsDir) : []) {
      expect(fs.readFileSync(path.join(exportsDir, file)).includes(Buffer.from(customer.email))).toBe(false);
    }
    // SQLite: not even in the file's free pages or the WAL (secure_delete). PostgreSQL's files are
    // the server's, not ours to read; its rows were checked above.
    if (!isPostgresStore()) {
      const dbFile = env.databaseUrl.replace(/^file:/, '');
      expect(fs.readFileSync(dbFile).includes(Buffer.from(customer.email))).toBe(false);
      if (fs.existsSync(`${dbFile}-wal`))
        expect(fs.readFileSync(`${dbFile}-wal`).includes(Buffer.from(customer.email))).toBe(false);
    }

    // The address is tombstoned: a re-import by API is refused until the person signs up themselves.
    const upsert = await request.post('/api/v1/customers', {
      headers: { authorization: `Bearer ${key}` },
      data: { email: customer.email, name: 'Back again' },
    });
    expect(upsert.status()).toBeGreaterThanOrEqual(400);
  });

  test('compliance queue lists overdue requests first; an extension is refused once overdue, and otherwise mailed and audited by name', async ({
    page,
  }) => {
    await loginAs(page, 'compliance', '/privacy-requests');
    const queue = page.getByTestId('privacy-request-queue');
    const rows = queue.locator('tbody tr');
    await expect(rows.first()).toHaveAttribute('data-overdue', 'true');
    await rows.first().locator('a[href^="/privacy-requests/"]').click();
    await expect(page.getByTestId('extension-closed')).toContainText('within the first month');
    await expect(page.getByLabel(/Extension reason/)).toHaveCount(0);

    await page.goto('/privacy-requests');
    const hrefs = await queue
      .locator('tbody tr:not([data-overdue]) a[href^="/privacy-requests/"]')
      .evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
    let extended: string | undefined;
    for (const href of hrefs) {
      await page.goto(href);
      const reason = page.getByLabel(/Extension reason/);
      if (!(await reason.count())) continue;
      await reason.fill('Complex request: records spread over two systems');
      await page.getByRole('button', { name: 'Extend deadline' }).click();
      await expect(page.getByRole('status')).toContainText('extended');
      extended = href;
      break;
    }
    expect(extended, 'an open request within its first month').toBeTruthy();
    await expect(page.getByTestId('request-audit')).toContainText(
      'deadline extended, person informed by Kalle Compliance (compliance@tarmo.demo)',
    );
    const requestId = Number(extended!.split('/').pop());
    const mail = await dbOne<{ n: number }>(
      'SELECT count(*) AS n FROM outbox WHERE idempotency_key = ?',
      `request-extended:${requestId}`,
    );
    expect(mail.n).toBe(1);
  });
});

test.describe('privacy: hostile input', () => {
  test('HTML and SQL in a name and in notice text are stored as given and shown as text', async ({
    page,
    request,
  }) => {
    const key = createKey(`privacy-xss-${unique()}`, 'read,write,privacy');
    const email = `xss-${unique()}@example.org`;
    const name = `<img src=x onerror="window.__xss=1">'; DROP TABLE customers;--`;
    const created = await request.post('/api/v1/customers', {
      headers: { authorization: `Bearer ${key}` },
      data: { email, name, locale: 'en' },
    });
    expect(created.status()).toBeLessThan(300);
    const customerId = await waitFor(() => customerIdByEmail(email));
    expect((await dbOne<{ name: string }>('SELECT name FROM customers WHERE id = ?', customerId)).name).toBe(
      name,
    );

    const notice = `<script>window.__xss=2</script> We use <b>purchases</b> & "offers" '; DELETE FROM notices;--`;
    expect(
      JSON.parse(runWithAppEnv(['e2e/privacy-fixtures.ts', 'publish-notice', 'personalised-offers', notice])),
    ).toMatchObject({ ok: true });

    await loginAs(page, 'compliance', `/customers/${customerId}`);
    await expect(page.getByRole('heading', { level: 1 })).toContainText('<img src=x');
    await expect(page.locator('img[src="x"]')).toHaveCount(0);
    // Staff-initiated double opt-in: a mail, no consent yet.
    await page.getByLabel('Purpose', { exact: true }).selectOption('personalised-offers');
    await page.getByRole('button', { name: 'Send confirmation mail' }).click();
    await expect(page.getByRole('status')).toContainText('Confirmation mail queued');
    expect(await consentState(customerId, 'personalised-offers')).toBe('pending');

    const token = await optInToken(email);
    await page.goto(`/optin/${token}`);
    await expect(page.getByTestId('notice-text')).toHaveText(notice);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect((await dbOne<{ n: number }>('SELECT count(*) AS n FROM notices WHERE text = ?', notice)).n).toBe(
      2,
    );
  });
});
