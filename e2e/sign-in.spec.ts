import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type Browser } from '@playwright/test';
import { encode } from 'next-auth/jwt';
import { DEMO_USERS, dbOne, e2eEnv } from './helpers';

/**
 * Signing in where people actually start: a bookmark or a link from a mail, not /login. A staff
 * page without a session sends to the sign-in form; signing in lands on that page (issue 16,
 * bug 0), with JavaScript and without it (bug 7: the form is server-rendered, a plain POST).
 */
async function signInAt(
  browser: Browser,
  path: string,
  role: keyof typeof DEMO_USERS,
  options: { javaScriptEnabled?: boolean; password?: string } = {},
) {
  const context = await browser.newContext({ javaScriptEnabled: options.javaScriptEnabled ?? true });
  const page = await context.newPage();
  await page.goto(path);
  await expect(page, path).toHaveURL(/\/login(\?callbackUrl=|$)/);
  await expect(page.getByRole('heading', { name: 'Sign in to Tarmo' })).toBeVisible();
  await page.getByLabel('Email').fill(DEMO_USERS[role]);
  await page.getByLabel('Password').fill(options.password ?? e2eEnv().password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  return { context, page };
}

test.describe('signing in from a deep link', () => {
  test('lands on the page asked for (or the role start page for /), form gone', async ({ browser }) => {
    test.setTimeout(120_000);
    const journey = await dbOne<{ id: number; name: string }>(
      "SELECT id, name FROM journeys WHERE status <> 'archived' ORDER BY id LIMIT 1",
    );
    const cases: { path: string; role: keyof typeof DEMO_USERS; url: RegExp; heading: string }[] = [
      { path: '/journeys', role: 'marketer', url: /\/journeys$/, heading: 'Journeys' },
      {
        path: `/journeys/${journey.id}`,
        role: 'marketer',
        url: new RegExp(`/journeys/${journey.id}$`),
        heading: journey.name,
      },
      { path: '/mission-control', role: 'compliance', url: /\/mission-control$/, heading: 'Mission Control' },
      // The compliance role starts on Mission Control, everyone else on the journeys.
      { path: '/', role: 'compliance', url: /\/mission-control$/, heading: 'Mission Control' },
      { path: '/', role: 'marketer', url: /\/journeys$/, heading: 'Journeys' },
    ];
    for (const { path, role, url, heading } of cases) {
      const { context, page } = await signInAt(browser, path, role);
      await expect(page, `${path} as ${role}`).toHaveURL(url);
      await expect(page.getByRole('heading', { level: 1, name: heading, exact: true })).toBeVisible();
      await expect(page.getByRole('heading', { name: 'Sign in to Tarmo' })).toHaveCount(0);
      await expect(page.getByLabel('Password')).toHaveCount(0);
      await context.close();
    }
  });

  test('works without JavaScript: the form is in the HTML, a wrong password comes back as the form', async ({
    browser,
  }) => {
    const wrong = await signInAt(browser, '/customers', 'marketer', {
      javaScriptEnabled: false,
      password: 'not-the-password',
    });
    await expect(wrong.page).toHaveURL(/\/login\?error=invalid&callbackUrl=%2Fcustomers$/);
    await expect(wrong.page.locator('#login-error')).toHaveText('Email or password is incorrect.');
    // Again from the form it came back with: it still returns to the page first asked for.
    await wrong.page.getByLabel('Email').fill(DEMO_USERS.marketer);
    await wrong.page.getByLabel('Password').fill(e2eEnv().password);
    await wrong.page.getByRole('button', { name: 'Sign in' }).click();
    await expect(wrong.page).toHaveURL(/\/customers$/);
    await expect(wrong.page.getByRole('heading', { level: 1, name: 'Customers' })).toBeVisible();
    await wrong.context.close();
  });

  test('the form needs its CSRF token and this origin; throttling still answers', async ({
    browser,
    request,
  }) => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto('/login');
    const csrfToken = await page
      .locator('form[action="/api/auth/login"] input[name="csrfToken"]')
      .inputValue();
    const post = (form: Record<string, string>, headers: Record<string, string> = {}) =>
      context.request.post('/api/auth/login', {
        form,
        headers: { Origin: e2eEnv().baseUrl, ...headers },
        maxRedirects: 0,
      });
    const credentials = { email: DEMO_USERS.marketer, password: e2eEnv().password, callbackUrl: '/journeys' };
    for (const [label, response] of [
      ['no token', await post(credentials)],
      ['wrong token', await post({ ...credentials, csrfToken: 'f'.repeat(64) })],
      ['other origin', await post({ ...credentials, csrfToken }, { Origin: 'https://evil.example' })],
    ] as const) {
      expect(response.status(), label).toBe(303);
      expect(response.headers()['location'], label).toBe('/login?error=expired&callbackUrl=%2Fjourneys');
      expect(response.headers()['set-cookie'] ?? '', label).not.toContain('session-token');
    }
    // A client without the cookie (a cross-site form cannot send a SameSite=Strict cookie).
    const bare = await request.post('/api/auth/login', {
      form: { ...credentials, csrfToken },
      headers: { Origin: e2eEnv().baseUrl },
      maxRedirects: 0,
    });
    expect(bare.headers()['location']).toContain('error=expired');

    // Throttling: failures of one account from one place soon have to wait.
    const email = `throttle.${Date.now()}@tarmo.demo`;
    let answer = '';
    for (let attempt = 0; attempt < 10 && !answer.includes('rate-limited'); attempt++)
      answer = (await post({ email, password: 'wrong', csrfToken })).headers()['location'] ?? '';
    expect(answer).toBe('/login?error=rate-limited');
    await page.goto(answer);
    await expect(page.locator('#login-error')).toHaveText(
      'Too many attempts. Wait a few minutes and try again.',
    );

    const ok = await post({ ...credentials, csrfToken });
    expect(ok.headers()['location']).toBe('/journeys');
    expect(ok.headers()['set-cookie']).toContain('next-auth.session-token=');
    await context.close();
  });

  test('a session the database rejects (deleted account, signed out elsewhere) gets the sign-in page, without JavaScript too', async ({
    browser,
  }) => {
    const env = e2eEnv();
    const secret = fs.readFileSync(path.join(env.dataDir, 'secrets', 'auth-secret'), 'utf8').trim();
    const marketer = await dbOne<{ id: number; sv: number }>(
      'SELECT id, session_version AS sv FROM users WHERE email = ?',
      DEMO_USERS.marketer,
    );
    const journey = await dbOne<{ id: number; name: string }>(
      "SELECT id, name FROM journeys WHERE status <> 'archived' ORDER BY id LIMIT 1",
    );
    // Cookies that decrypt and have not expired, as the server issued them, but for an account that
    // no longer exists and for a session version that moved on (signed out elsewhere).
    const stale = [
      { uid: 987_654, sv: 0, label: 'deleted account' },
      { uid: marketer.id, sv: marketer.sv + 1_000, label: 'signed out elsewhere' },
    ];
    for (const { uid, sv, label } of stale) {
      const value = await encode({
        token: { sub: String(uid), uid, sv, role: 'marketer', email: 'gone@tarmo.demo', name: 'Gone' },
        secret,
        maxAge: 3600,
      });
      for (const target of [`/journeys/${journey.id}`, '/customers?q=a']) {
        const context = await browser.newContext({ javaScriptEnabled: false });
        await context.addCookies([{ name: 'next-auth.session-token', value, url: env.baseUrl }]);
        const page = await context.newPage();
        const response = await page.goto(target);
        expect(response?.status(), `${label} at ${target}`).toBe(200);
        await expect(page, `${label} at ${target}`).toHaveURL(
          `/login?${new URLSearchParams({ callbackUrl: target })}`,
        );
        await expect(page.getByRole('heading', { level: 1, name: 'Sign in to Tarmo' })).toBeVisible();
        await page.getByLabel('Email').fill(DEMO_USERS.marketer);
        await page.getByLabel('Password').fill(env.password);
        await page.getByRole('button', { name: 'Sign in' }).click();
        await expect(page).toHaveURL(new RegExp(`${target.replace(/[?]/g, '\\$&')}$`));
        await expect(page.getByRole('heading', { name: 'Sign in to Tarmo' })).toHaveCount(0);
        await context.close();
      }
    }
  });

  test('favicon.ico is served', async ({ request }) => {
    const response = await request.get('/favicon.ico');
    expect(response.status()).toBe(200);
    expect(response.headers()['content-type']).toContain('image/');
  });
});
