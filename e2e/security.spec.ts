// The security suite: attacks the running app (the production build under `next start`, on the
// e2e store: SQLite or PostgreSQL) for each class of SECURITY.md. Every test names the guarantee.
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import fc from 'fast-check';
import { expect, request as playwrightRequest, test, type APIRequestContext } from '@playwright/test';
import { createKey, runWithAppEnv } from './api-support';
import { dbAll, e2eEnv } from './helpers';

const port = Number(process.env.E2E_PORT || 3100);
/** A local service an attacker would like to reach; it must receive nothing. */
const insidePort = port + 3;
const staffEmail = `security.staff.${Date.now()}@tarmo.demo`;
const staffPassword = 'security-suite-password-1';
const bearer = (key: string) => ({ Authorization: `Bearer ${key}` });

let inside: net.Server;
let insideConnections = 0;
let writeKey = '';

test.beforeAll(async () => {
  inside = net.createServer((socket) => {
    insideConnections++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => inside.listen(insidePort, '127.0.0.1', resolve));
  process.env.TARMO_PASSWORD = staffPassword;
  runWithAppEnv(['scripts/user-add.ts', '--email', staffEmail, '--role', 'compliance']);
  writeKey = createKey('security write', 'read,write,privacy');
});

test.afterAll(async () => {
  await new Promise<void>((resolve) => inside.close(() => resolve()));
});

/** Signs in through next-auth's own endpoints; the context keeps the session cookie. */
async function signIn(
  context: APIRequestContext,
  email = staffEmail,
  password = staffPassword,
  extra: { callbackUrl?: string; headers?: Record<string, string> } = {},
) {
  const { csrfToken } = (await (await context.get('/api/auth/csrf')).json()) as { csrfToken: string };
  const response = await context.post('/api/auth/callback/credentials', {
    form: { csrfToken, email, password, json: 'true', callbackUrl: extra.callbackUrl ?? '/journeys' },
    headers: extra.headers,
    maxRedirects: 0,
  });
  const body = (await response.json().catch(() => ({}))) as { url?: string };
  return { status: response.status(), url: body.url ?? response.headers()['location'] ?? '' };
}

async function signOut(context: APIRequestContext, callbackUrl = '/login') {
  const { csrfToken } = (await (await context.get('/api/auth/csrf')).json()) as { csrfToken: string };
  const response = await context.post('/api/auth/signout', {
    form: { csrfToken, callbackUrl, json: 'true' },
    maxRedirects: 0,
  });
  const body = (await response.json().catch(() => ({}))) as { url?: string };
  return body.url ?? response.headers()['location'] ?? '';
}

/** The page answers with a redirect to the sign-in page (coming back to it), never with the page itself. */
async function expectSignInAgain(context: APIRequestContext, page: string) {
  const response = await context.get(page, { maxRedirects: 0 });
  expect(response.status(), page).toBeGreaterThanOrEqual(300);
  expect(response.status(), page).toBeLessThan(400);
  const location = new URL(response.headers()['location'] ?? '', e2eEnv().baseUrl);
  expect(location.pathname).toBe('/login');
  expect(location.searchParams.get('callbackUrl')).toContain(page);
}

async function newContext(): Promise<APIRequestContext> {
  return await playwrightRequest.newContext({ baseURL: e2eEnv().baseUrl });
}

/** A second client holding a copy of the first one's cookies (a stolen or left-behind session). */
async function copyOf(context: APIRequestContext): Promise<APIRequestContext> {
  return await playwrightRequest.newContext({
    baseURL: e2eEnv().baseUrl,
    storageState: await context.storageState(),
  });
}

/** Opens the consent stream and collects what it sends until it ends. */
function openStream(headers: Record<string, string>) {
  const state = { text: '', ended: false, status: 0 };
  const request = http.get(`${e2eEnv().baseUrl}/api/v1/consent/stream`, { headers }, (response) => {
    state.status = response.statusCode ?? 0;
    response.on('data', (chunk: Buffer) => (state.text += chunk.toString('utf8')));
    response.on('end', () => (state.ended = true));
    response.on('error', () => (state.ended = true));
  });
  request.on('error', () => (state.ended = true));
  return { state, close: () => request.destroy() };
}

test.describe('SSRF: outgoing requests cannot reach the inside', () => {
  const spellings = [
    `http://127.0.0.1:${insidePort}/hook`,
    `http://2130706433:${insidePort}/hook`, // decimal
    `http://0x7f.1:${insidePort}/hook`, // hex, short
    `http://127.1:${insidePort}/hook`, // short
    `http://0177.0.0.1:${insidePort}/hook`, // octal
    `http://[::ffff:127.0.0.1]:${insidePort}/hook`, // IPv4-mapped IPv6
    `http://[::1]:${insidePort}/hook`,
    `http://localhost:${insidePort}/hook`, // a DNS name that resolves inside
    `http://0.0.0.0:${insidePort}/hook`,
    'http://169.254.169.254/latest/meta-data/', // cloud metadata
    'http://10.0.0.1/hook',
    'http://100.64.0.1/hook', // CGNAT
    'http://[fd00::1]/hook', // unique local
  ];

  test('a webhook URL that is or resolves to an internal address is refused when saved, in every spelling', async ({
    page,
  }) => {
    test.setTimeout(120_000);
    await page.goto('/login?callbackUrl=%2Fsettings%2Fwebhooks');
    await page.getByLabel('Email').fill('admin@tarmo.demo');
    await page.getByLabel('Password').fill(e2eEnv().password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page).toHaveURL(/\/settings\/webhooks/);
    for (const url of spellings) {
      await page.getByLabel('Name').fill(`ssrf ${url}`);
      await page.getByLabel('Endpoint URL').fill(url);
      await page.getByRole('checkbox', { name: /^consent\.changed/ }).check();
      await page.getByRole('button', { name: 'Add subscription' }).click();
      await expect(page.locator('p[role="alert"]'), url).toContainText('Endpoint URL refused');
    }
    const saved = await dbAll<{ n: number }>(`SELECT COUNT(*) AS n FROM webhooks WHERE name LIKE 'ssrf %'`);
    expect(saved[0]!.n).toBe(0);
    expect(insideConnections).toBe(0);
  });

  test('a saved webhook whose host now points inside is refused again at delivery; the listener receives nothing', async ({
    request,
  }) => {
    test.setTimeout(90_000);
    const ids = [
      `http://0x7f.1:${insidePort}/hook`,
      `http://[::ffff:7f00:1]:${insidePort}/hook`,
      `http://localhost:${insidePort}/hook`,
    ].map((url) =>
      Number(
        /webhook-id=(\d+)/.exec(runWithAppEnv(['e2e/security-ops.ts', 'add-webhook-unchecked', url]))?.[1],
      ),
    );
    const created = await request.post('/api/v1/customers', {
      headers: bearer(writeKey),
      data: { email: `ssrf-${Date.now()}@example.com` },
    });
    const { customer } = (await created.json()) as { customer: { id: number } };
    const granted = await request.post(`/api/v1/customers/${customer.id}/consents`, {
      headers: bearer(writeKey),
      data: { purpose: 'newsletter', action: 'grant', evidence: { form: 'ssrf test' } },
    });
    expect(granted.status()).toBe(201);
    await expect
      .poll(
        async () =>
          (
            await dbAll<{ status: string; error: string | null }>(
              `SELECT status, last_error AS "error" FROM outbox WHERE webhook_id IN (?, ?, ?)`,
              ...ids,
            )
          ).map((row) => `${row.status}: ${row.error?.slice(0, 9)}`),
        { timeout: 30_000 },
      )
      .toEqual(['failed: refused: ', 'failed: refused: ', 'failed: refused: ']);
    expect(insideConnections).toBe(0);
  });
});

test.describe('Bounce and complaint notifications need the shared secret and fetch nothing inside', () => {
  test('a missing or wrong secret gets 401 and records nothing; an SNS SubscribeURL that is not Amazon SNS is never fetched', async ({
    page,
    request,
  }) => {
    const complaint = { type: 'complaint', email: 'security.bounce@tarmo.demo' };
    for (const provider of ['generic', 'ses', 'postmark'])
      for (const headers of [
        {} as Record<string, string>,
        { Authorization: 'Bearer wrong-secret-0123456789' },
        { Authorization: `Basic ${Buffer.from('user:wrong').toString('base64')}` },
        { 'X-Tarmo-Secret': '' },
      ]) {
        const response = await request.post(`/api/v1/deliverability/${provider}`, {
          data: complaint,
          headers,
        });
        expect(response.status(), `${provider} ${JSON.stringify(headers)}`).toBe(401);
      }
    const recorded = await dbAll<{ n: number }>(
      "SELECT COUNT(*) AS n FROM deliverability_notifications WHERE address = 'security.bounce@tarmo.demo'",
    );
    expect(Number(recorded[0]!.n)).toBe(0);

    // The secret as an admin sees it in Settings → Delivery policy.
    await page.goto('/login?callbackUrl=%2Fsettings%2Fdelivery');
    await page.getByLabel('Email').fill('admin@tarmo.demo');
    await page.getByLabel('Password').fill(e2eEnv().password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page).toHaveURL(/\/settings\/delivery/);
    await page.getByText('Show the shared secret').click();
    const secret = (await page.getByTestId('deliverability-secret').textContent())!.trim();
    expect(secret.length).toBeGreaterThanOrEqual(16);
    for (const url of [
      `http://127.0.0.1:${insidePort}/confirm`,
      `https://localhost:${insidePort}/confirm`,
      'https://sns.eu-west-1.amazonaws.com.attacker.test/confirm',
      'https://169.254.169.254/latest/meta-data/',
    ]) {
      const response = await request.post('/api/v1/deliverability/ses', {
        headers: { Authorization: `Bearer ${secret}`, 'Content-Type': 'text/plain; charset=UTF-8' },
        data: JSON.stringify({ Type: 'SubscriptionConfirmation', Message: 'confirm', SubscribeURL: url }),
      });
      expect(response.status(), url).toBe(400);
      expect(((await response.json()) as { error: { field: string } }).error.field).toBe('SubscribeURL');
    }
    expect(insideConnections).toBe(0);
  });
});

test.describe('No redirect to another origin', () => {
  const tricks = [
    '//evil.example',
    '/\\evil.example',
    'https:evil.example',
    'https://evil.example/journeys',
    '/.//evil.example',
    '\\\\evil.example',
    `http://127.0.0.1:${port}@evil.example/`,
  ];

  test('sign-in with a callbackUrl elsewhere lands on the default page of this app', async ({ page }) => {
    test.setTimeout(120_000);
    const origin = e2eEnv().baseUrl;
    for (const trick of [...tricks, '%2F%2Fevil.example']) {
      // Leave the signed-in page first: its requests must not race the next sign-in.
      await page.goto('about:blank');
      await page.context().clearCookies();
      await page.goto(`/login?callbackUrl=${encodeURIComponent(trick)}`);
      await page.getByLabel('Email').fill(staffEmail);
      await page.getByLabel('Password').fill(staffPassword);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL((url) => !url.pathname.startsWith('/login'));
      const landed = new URL(page.url());
      expect(landed.origin, trick).toBe(origin);
      // This staff member is a compliance officer: their start page.
      if (trick !== '%2F%2Fevil.example') expect(landed.pathname, trick).toBe('/mission-control');
    }
  });

  test("next-auth's sign-in and sign-out endpoints answer only same-origin targets", async () => {
    const origin = e2eEnv().baseUrl;
    for (const trick of tricks) {
      const context = await newContext();
      const signedIn = await signIn(context, staffEmail, staffPassword, { callbackUrl: trick });
      expect(new URL(signedIn.url, origin).origin, trick).toBe(origin);
      expect(new URL(await signOut(context, trick), origin).origin, trick).toBe(origin);
      await context.dispose();
    }
  });
});

test.describe('Sessions end when they should', () => {
  test('sign-out, a role or password change and disabling end existing sessions on the server', async () => {
    test.setTimeout(120_000);
    const email = `session.${Date.now()}@tarmo.demo`;
    process.env.TARMO_PASSWORD = 'first-password-123';
    runWithAppEnv(['scripts/user-add.ts', '--email', email, '--role', 'compliance']);

    // Sign-out: a copy of the cookie taken before stops working.
    let owner = await newContext();
    await signIn(owner, email, 'first-password-123');
    let stolen = await copyOf(owner);
    expect((await stolen.get('/mission-control')).status()).toBe(200);
    await signOut(owner);
    // A staff page sends a session the server no longer accepts to the sign-in page.
    await expectSignInAgain(stolen, '/mission-control');
    expect((await stolen.get('/api/v1/consent/summary')).status()).toBe(401);

    // A role and password change (npm run user:add) ends the session signed in before.
    owner = await newContext();
    await signIn(owner, email, 'first-password-123');
    stolen = await copyOf(owner);
    process.env.TARMO_PASSWORD = 'second-password-456';
    runWithAppEnv(['scripts/user-add.ts', '--email', email, '--role', 'marketer']);
    await expectSignInAgain(stolen, '/journeys');

    // Disabling ends it too.
    owner = await newContext();
    await signIn(owner, email, 'second-password-456');
    expect((await owner.get('/journeys')).status()).toBe(200);
    runWithAppEnv(['e2e/security-ops.ts', 'disable-user', email]);
    await expectSignInAgain(owner, '/journeys');
    expect((await owner.get('/api/v1/consent/summary')).status()).toBe(401);
  });

  test('an open event stream closes at its next heartbeat after sign-out or key revocation', async () => {
    test.setTimeout(60_000);
    const owner = await newContext();
    await signIn(owner);
    const cookie = (await owner.storageState()).cookies.map((c) => `${c.name}=${c.value}`).join('; ');
    const bySession = openStream({ cookie });
    const keyName = `stream key ${Date.now()}`;
    const key = createKey(keyName, 'read');
    const byKey = openStream(bearer(key));
    try {
      await expect.poll(() => bySession.state.text).toContain('event: summary');
      await expect.poll(() => byKey.state.text).toContain('event: summary');
      await signOut(owner);
      await expect.poll(() => bySession.state.ended, { timeout: 15_000 }).toBe(true);
      expect(bySession.state.text).toContain('event: end\ndata: {"reason":"unauthorized"}');
      expect(byKey.state.ended).toBe(false);
      runWithAppEnv(['e2e/security-ops.ts', 'revoke-key', keyName]);
      await expect.poll(() => byKey.state.ended, { timeout: 15_000 }).toBe(true);
      expect(byKey.state.text).toContain('event: end\ndata: {"reason":"unauthorized"}');
    } finally {
      bySession.close();
      byKey.close();
    }
  });
});

test.describe('Staff pages carry security headers', () => {
  test('a nonce-based Content-Security-Policy without inline scripts, no framing, nosniff, same-origin referrer', async ({
    page,
  }) => {
    const violations: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to (execute|load)/i.test(message.text()))
        violations.push(message.text());
    });
    const login = await page.goto('/login');
    const loginNonce = /'nonce-([^']+)'/.exec(login!.headers()['content-security-policy'] ?? '')?.[1];
    await page.getByLabel('Email').fill(staffEmail);
    await page.getByLabel('Password').fill(staffPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    // A compliance officer lands on Mission Control.
    await expect(page).toHaveURL(/\/mission-control/);
    for (const target of ['/journeys', '/mission-control']) {
      const response = await page.goto(target);
      const headers = response!.headers();
      const csp = headers['content-security-policy'] ?? '';
      const scriptSrc = /script-src ([^;]*)/.exec(csp)?.[1] ?? '';
      expect(scriptSrc).toMatch(/'nonce-[A-Za-z0-9+/=]{16,}'/);
      expect(scriptSrc).not.toContain('unsafe-inline');
      expect(csp).toContain("frame-ancestors 'none'");
      expect(headers['x-content-type-options']).toBe('nosniff');
      expect(headers['referrer-policy']).toBe('same-origin');
      // Next.js put this response's nonce on its scripts; a fresh one per response.
      const nonce = /'nonce-([^']+)'/.exec(scriptSrc)![1]!;
      expect(nonce).not.toBe(loginNonce);
      const html = await response!.text();
      const scripts = html.match(/<script\b[^>]*>/g) ?? [];
      expect(scripts.length).toBeGreaterThan(0);
      for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
    }
    // The page hydrated under the policy (Mission Control's live summary comes from client code).
    await expect(page.getByTestId('consent-summary')).toBeVisible();
    expect(violations).toEqual([]);
  });

  test('staff and API JSON with personal data is not stored by caches', async ({ request }) => {
    const context = await newContext();
    await signIn(context);
    const staffJson = await context.get('/api/journeys');
    expect(staffJson.status()).toBe(200);
    expect(staffJson.headers()['cache-control']).toBe('no-store');
    const created = await request.post('/api/v1/customers', {
      headers: bearer(writeKey),
      data: { email: `cache-${Date.now()}@example.com` },
    });
    const { customer } = (await created.json()) as { customer: { id: number } };
    const read = await request.get(`/api/v1/customers/${customer.id}`, { headers: bearer(writeKey) });
    expect(read.headers()['cache-control']).toBe('no-store');
    await context.dispose();
  });
});

test.describe('Client addresses come from the configured trust chain', () => {
  test('X-Forwarded-For from a client is not believed: it neither escapes login backoff nor lands in consent evidence', async ({
    request,
  }) => {
    test.setTimeout(90_000);
    const email = `throttle.${Date.now()}@tarmo.demo`;
    process.env.TARMO_PASSWORD = 'throttle-password-1';
    runWithAppEnv(['scripts/user-add.ts', '--email', email, '--role', 'marketer']);
    const outcomes: string[] = [];
    for (let i = 0; i < 5; i++) {
      const context = await newContext();
      const attempt = await signIn(context, email, `wrong guess ${i}`, {
        headers: { 'X-Forwarded-For': `203.0.113.${i + 1}` },
      });
      outcomes.push(new URL(attempt.url, e2eEnv().baseUrl).searchParams.get('error') ?? 'ok');
      await context.dispose();
    }
    // Three free failures, then the same source (the socket) must wait, whatever it claims to be.
    expect(outcomes.slice(0, 3)).toEqual(['CredentialsSignin', 'CredentialsSignin', 'CredentialsSignin']);
    expect(outcomes.slice(3)).toContain('rate-limited');

    const address = `evidence-${Date.now()}@example.com`;
    const signup = await request.post('/api/v1/subscribe', {
      headers: { 'X-Forwarded-For': '198.51.100.77' },
      data: { email: address, purposes: ['newsletter'], noticeVersion: 1 },
    });
    expect(signup.status()).toBeLessThan(300);
    const evidence = async () =>
      (
        await dbAll<{ evidence: string }>(
          `SELECT ev.details AS "evidence" FROM consent_evidence ev JOIN consent_events e ON e.id = ev.event_id JOIN customers c ON c.id = e.customer_id WHERE c.email = ?`,
          address,
        )
      ).map((row) => String(row.evidence));
    await expect.poll(async () => (await evidence()).length, { timeout: 15_000 }).toBeGreaterThan(0);
    for (const text of await evidence()) {
      expect(text).not.toContain('198.51.100');
      expect(text).toContain('127.0.0');
    }
  });
});

test.describe('Bad input gets a clear 4xx, and nothing is half-written', () => {
  test('deep nesting, NUL characters, unpaired surrogates, invalid UTF-8 and oversized bodies', async ({
    request,
  }) => {
    const email = `bad-input-${Date.now()}@example.com`;
    // 5,000 levels (JSON.stringify itself would overflow on it, so written out).
    const deep = `${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}`;
    const cases: { data: string | Buffer; status: number; field?: string; code?: string }[] = [
      { data: `{"email":"${email}","attributes":${deep}}`, status: 400, field: 'attributes.a.a' },
      { data: JSON.stringify({ email, name: 'Ann\u0000Admin' }), status: 400, field: 'name' },
      { data: `{"email":"${email}","name":"Ann\\ud800"}`, status: 400, field: 'name' },
      {
        data: JSON.stringify({ email, attributes: { 'plan\u0000': 'pro' } }),
        status: 400,
        field: 'attributes',
      },
      {
        data: Buffer.concat([
          Buffer.from(`{"email":"${email}","name":"Ann`),
          Buffer.from([0xc3, 0x28]),
          Buffer.from('"}'),
        ]),
        status: 400,
        code: 'malformed_json',
      },
      { data: JSON.stringify({ email, attributes: { blob: 'x'.repeat(2 * 1024 * 1024) } }), status: 413 },
    ];
    for (const [index, attempt] of cases.entries()) {
      const response = await request.post('/api/v1/customers', {
        headers: { ...bearer(writeKey), 'content-type': 'application/json' },
        data: attempt.data,
      });
      expect(response.status(), `case ${index}`).toBe(attempt.status);
      const body = (await response.json()) as { error: { code: string; field?: string } };
      if (attempt.field) expect(body.error.field ?? '', `case ${index}`).toContain(attempt.field);
      if (attempt.code) expect(body.error.code, `case ${index}`).toBe(attempt.code);
    }
    const stored = await dbAll<{ n: number }>('SELECT COUNT(*) AS n FROM customers WHERE email = ?', email);
    expect(stored[0]!.n).toBe(0);

    // The public sign-up too.
    const signup = await request.post('/api/v1/subscribe', {
      data: { email: `x${'\u0000'}@example.com`, purposes: ['newsletter'], noticeVersion: 1 },
    });
    expect(signup.status()).toBe(400);
  });

  test('fuzzing the API and customer routes finds no 500', async ({ request }) => {
    test.setTimeout(180_000);
    const { customer } = (await (
      await request.post('/api/v1/customers', {
        headers: bearer(writeKey),
        data: { email: `fuzz-${Date.now()}@example.com` },
      })
    ).json()) as { customer: { id: number } };
    const routes: { method: 'post' | 'patch'; path: string; auth: boolean }[] = [
      { method: 'post', path: '/api/v1/customers', auth: true },
      { method: 'patch', path: `/api/v1/customers/${customer.id}`, auth: true },
      { method: 'post', path: `/api/v1/customers/${customer.id}/consents`, auth: true },
      { method: 'post', path: '/api/v1/events', auth: true },
      { method: 'post', path: '/api/v1/privacy-requests', auth: true },
      { method: 'post', path: '/api/v1/journeys/1/enrollments', auth: true },
      { method: 'post', path: '/api/v1/subscribe', auth: false },
    ];
    const weirdString = fc.oneof(
      fc.string(),
      fc.constantFrom(
        '\u0000',
        '\ud800',
        '😀'.repeat(50),
        'a'.repeat(5000),
        '<script>',
        "'; DROP TABLE customers;--",
      ),
    );
    const value = fc.letrec((tie) => ({
      leaf: fc.oneof(weirdString, fc.integer(), fc.double(), fc.boolean(), fc.constant(null)),
      node: fc.oneof(
        { depthSize: 'small' },
        tie('leaf'),
        fc.array(tie('node'), { maxLength: 4 }),
        fc.dictionary(weirdString, tie('node'), { maxKeys: 4 }),
      ),
    })).node;
    const keys = [
      'email',
      'name',
      'purpose',
      'action',
      'evidence',
      'attributes',
      'customerId',
      'kind',
      'type',
      'purposes',
      'noticeVersion',
      'properties',
      'occurredAt',
    ];
    const body = fc.oneof(
      value,
      fc.dictionary(fc.constantFrom(...keys), value, { maxKeys: 6 }),
      fc.record({ email: fc.constantFrom('fuzz@example.com', 'not-an-email', ''), name: weirdString }),
    );
    const samples = fc.sample(body, { numRuns: 25, seed: 1207 });
    const failures: string[] = [];
    for (const route of routes) {
      // The public sign-up is rate-limited per address (and the suite shares one): fewer there.
      for (const sample of route.auth ? samples : samples.slice(0, 5)) {
        const response = await request[route.method](route.path, {
          headers: { ...(route.auth ? bearer(writeKey) : {}), 'content-type': 'application/json' },
          data: JSON.stringify(sample),
        });
        if (response.status() >= 500)
          failures.push(`${route.path} ${response.status()} ${JSON.stringify(sample).slice(0, 200)}`);
      }
    }
    expect(failures).toEqual([]);
  });
});

test.describe('The newer endpoints hold the same line', () => {
  const evil = { Origin: 'http://evil.example' };

  test('declaring a split winner needs a marketer session from this origin and a valid branch; nothing else publishes', async () => {
    const [journey] = await dbAll<{ id: number }>('select id from journeys order by id limit 1');
    const versions = async () =>
      (await dbAll<{ n: number }>('select count(*) as n from journey_versions'))[0]!.n;
    const before = Number(await versions());
    const url = `/api/journeys/${journey!.id}/experiments/winner`;
    const body = { nodeId: 'split-1', branch: 'A' };

    const anonymous = await newContext();
    expect((await anonymous.post(url, { data: body })).status()).toBe(401);

    const compliance = await newContext();
    expect((await signIn(compliance)).status).toBe(200);
    const refused = await compliance.post(url, { data: body });
    expect(refused.status()).toBe(403);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('forbidden');

    const marketer = await newContext();
    expect((await signIn(marketer, 'marketer@tarmo.demo', e2eEnv().password)).status).toBe(200);
    const crossSite = await marketer.post(url, { data: body, headers: evil });
    expect(crossSite.status()).toBe(403);
    expect(((await crossSite.json()) as { error: { code: string } }).error.code).toBe('csrf');
    const badBranch = await marketer.post(url, { data: { nodeId: 'split-1', branch: 'Z' } });
    expect(badBranch.status()).toBe(400);
    expect(((await badBranch.json()) as { error: { field?: string } }).error.field).toBe('branch');
    const extra = await marketer.post(url, { data: { ...body, publish: true } });
    expect(extra.status()).toBe(400);
    const noSplit = await marketer.post(url, { data: { nodeId: 'no-such-step', branch: 'A' } });
    expect(noSplit.status()).toBeGreaterThanOrEqual(400);
    expect(noSplit.status()).toBeLessThan(500);

    expect(Number(await versions())).toBe(before);
    await Promise.all([anonymous.dispose(), compliance.dispose(), marketer.dispose()]);
  });

  test('the entry audience count needs a session, refuses other origins and malformed graphs, and stores nothing', async () => {
    const [journey] = await dbAll<{ id: number }>('select id from journeys order by id limit 1');
    const drafts = async () =>
      await dbAll<{ revision: number }>(
        'select revision from journey_versions where journey_id = ? and is_draft = 1',
        journey!.id,
      );
    const before = await drafts();
    const url = `/api/journeys/${journey!.id}/audience`;
    const graph = {
      nodes: [
        {
          id: 'entry',
          type: 'entry',
          position: { x: 0, y: 0 },
          config: {
            mode: 'segment',
            segment: { match: 'all', conditions: [] },
            reentry: { policy: 'never' },
            goals: [],
          },
        },
      ],
      edges: [],
    };

    const anonymous = await newContext();
    expect((await anonymous.post(url, { data: { graph } })).status()).toBe(401);

    const marketer = await newContext();
    expect((await signIn(marketer, 'marketer@tarmo.demo', e2eEnv().password)).status).toBe(200);
    expect((await marketer.post(url, { data: { graph }, headers: evil })).status()).toBe(403);
    const malformed = await marketer.post(url, {
      data: {
        graph: { nodes: [{ id: 'x', type: 'teleport', position: { x: 0, y: 0 }, config: {} }], edges: [] },
      },
    });
    expect(malformed.status()).toBe(400);
    expect(((await malformed.json()) as { error: { field?: string } }).error.field).toMatch(/^graph/);
    expect((await marketer.post(`/api/journeys/999999999/audience`, { data: { graph } })).status()).toBe(404);
    // The same request from this origin is answered: the refusals above are for the reasons named.
    expect((await marketer.post(url, { data: { graph } })).status()).toBe(200);

    expect(await drafts()).toEqual(before);
    await Promise.all([anonymous.dispose(), marketer.dispose()]);
  });

  test('a tracked link redirects only to its stored address: forged, odd and unknown tokens get a page, never a redirect, a click or a 500', async ({
    request,
  }) => {
    const clicks = async () =>
      Number(
        (await dbAll<{ n: number }>("select count(*) as n from events where name = 'email.clicked'"))[0]!.n,
      );
    const before = await clicks();
    const forged = [
      'a'.repeat(64),
      `${'0'.repeat(43)}?url=https://evil.example/`,
      '..%2F..%2Fapi%2Fhealth',
      '%00',
      'x'.repeat(5000),
      encodeURIComponent('https://evil.example/'),
    ];
    for (const token of forged) {
      const response = await request.get(`/c/${token}`, { maxRedirects: 0 });
      expect(response.status(), token.slice(0, 40)).toBeGreaterThanOrEqual(400);
      expect(response.status(), token.slice(0, 40)).toBeLessThan(500);
      expect(response.headers()['location']).toBeUndefined();
    }
    expect(await clicks()).toBe(before);
  });

  test('Sec-GPC: 1 with forged, odd or unknown tokens on the verification page and the export download records nothing and never answers 500', async ({
    request,
  }) => {
    const recorded = async () =>
      Number(
        (await dbAll<{ n: number }>("select count(*) as n from consent_events where source = 'gpc'"))[0]!.n,
      );
    const before = await recorded();
    const gpc = { 'Sec-GPC': '1' };
    for (const token of ['a'.repeat(43), '0'.repeat(64), '..%2F..%2Fapi%2Fhealth', '%00', 'x'.repeat(5000)]) {
      for (const [method, url] of [
        ['GET', `/verify-request/${token}`],
        ['POST', `/verify-request/${token}`],
        ['GET', `/export/${token}/download`],
        ['GET', `/export/${token}`],
      ] as const) {
        const response = await request.fetch(url, {
          method,
          headers: gpc,
          maxRedirects: 0,
          form: method === 'POST' ? {} : undefined,
        });
        expect(response.status(), `${method} ${url.slice(0, 60)}`).toBeGreaterThanOrEqual(400);
        expect(response.status(), `${method} ${url.slice(0, 60)}`).toBeLessThan(500);
      }
    }
    expect(await recorded()).toBe(before);
  });

  test('receipt ids cannot be guessed: a changed, sequential or odd id gets the same uncached 404', async ({
    request,
  }) => {
    const { customer } = (await (
      await request.post('/api/v1/customers', {
        headers: bearer(writeKey),
        data: { email: `receipt-guess-${Date.now()}@example.com` },
      })
    ).json()) as { customer: { id: number } };
    const granted = await request.post(`/api/v1/customers/${customer.id}/consents`, {
      headers: bearer(writeKey),
      data: { purpose: 'newsletter', action: 'grant', evidence: { form: 'security suite' } },
    });
    expect(granted.status()).toBe(201);
    const [row] = await dbAll<{ receipt_id: string; id: number }>(
      'select receipt_id, id from consent_receipts where customer_id = ? order by id desc limit 1',
      customer.id,
    );
    const real = row!.receipt_id;
    const json = { Accept: 'application/json' };
    expect((await request.get(`/receipts/${real}`, { headers: json })).status()).toBe(200);

    const flipped = real.slice(0, -1) + (real.endsWith('A') ? 'B' : 'A');
    for (const id of [
      flipped,
      String(row!.id),
      '1',
      real.slice(0, 20),
      `${real}x`,
      '..%2F..%2Fetc',
      'z'.repeat(3000),
    ]) {
      const response = await request.get(`/receipts/${id}`, { headers: json });
      expect(response.status(), id.slice(0, 40)).toBe(404);
      expect(response.headers()['cache-control']).toContain('no-store');
      expect(await response.text()).not.toContain(String(customer.id));
    }
  });
});

test.describe('Files are for the owner only', () => {
  test('the data directory, the database, its WAL, secrets and exports are not readable by others', async () => {
    const { dataDir, mailbox } = e2eEnv();
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (full === mailbox) continue; // written by the test harness, not the app
        const mode = fs.statSync(full).mode & 0o777;
        if (mode & 0o077) offenders.push(`${full} ${mode.toString(8)}`);
        if (entry.isDirectory()) walk(full);
      }
    };
    walk(dataDir);
    expect(offenders).toEqual([]);
    if (e2eEnv().store !== 'postgres') {
      for (const suffix of ['', '-wal', '-shm']) {
        const file = path.join(dataDir, `tarmo.db${suffix}`);
        expect(fs.statSync(file).mode & 0o777, file).toBe(0o600);
      }
    }
    expect(fs.statSync(path.join(dataDir, 'secrets')).mode & 0o777).toBe(0o700);
  });
});
