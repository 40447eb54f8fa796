import { expect, test, type Browser, type Page } from '@playwright/test';
import { dbAll, dbGet, dbOne, e2eEnv } from './helpers';

/**
 * Single sign-on against a real OpenID Connect provider: scripts/e2e-server.mjs starts
 * `oidc-provider` on loopback (scripts/lib/oidc-test-provider.mjs) and points the app at it
 * (TARMO_OIDC_*: groups claim → role, only @sso.example may come in). Its development login page
 * takes any password; the login is the email, whose local part picks the groups.
 * Password sign-in turned off is tested in lib/auth/password-off.test.ts (this server keeps it on
 * for the other specs).
 */
const BUTTON = 'Continue with Test SSO';

function unique(local: string, domain = 'sso.example'): string {
  return `${local}.${Date.now()}.${Math.floor(Math.random() * 1e6)}@${domain}`;
}

/** From the sign-in form to the provider's login page and back, as the person would. */
async function continueWithSso(page: Page, email: string): Promise<void> {
  await expect(page.getByRole('heading', { name: 'Sign in to Tarmo' })).toBeVisible();
  await page.getByRole('button', { name: BUTTON }).click();
  // At the identity provider (another origin): its own sign-in form.
  await expect(page).toHaveURL(new RegExp(`^${e2eEnv().oidcIssuer}/interaction/`));
  await page.locator('input[name="login"]').fill(email);
  await page.locator('input[name="password"]').fill('any password at the provider');
  await page.locator('button[type="submit"]').click();
}

async function newPage(browser: Browser, javaScriptEnabled = true) {
  const context = await browser.newContext({ javaScriptEnabled });
  return { context, page: await context.newPage() };
}

test.describe('single sign-on (OpenID Connect)', () => {
  test('the sign-in form offers it beside the password form, under a name no other button shares', async ({
    page,
  }) => {
    await page.goto('/login');
    await expect(page.getByRole('button', { name: BUTTON })).toHaveCount(1);
    await expect(page.getByRole('button', { name: 'Sign in' })).toHaveCount(1);
    await expect(page.getByLabel('Password')).toBeVisible();
  });

  test('someone who never signed in lands on the deep-linked page with the mapped role (no JavaScript)', async ({
    browser,
  }) => {
    const email = unique('marketing');
    expect(await dbGet('SELECT id FROM users WHERE email = ?', email)).toBeUndefined();
    const { context, page } = await newPage(browser, false);
    await page.goto('/customers?q=zz');
    await expect(page).toHaveURL(/\/login\?callbackUrl=%2Fcustomers%3Fq%3Dzz$/);
    await continueWithSso(page, email);
    await expect(page).toHaveURL(/\/customers\?q=zz$/);
    await expect(page.getByRole('heading', { level: 1, name: 'Customers', exact: true })).toBeVisible();

    const user = await dbOne<{ id: number; role: string; name: string; password_hash: string }>(
      'SELECT id, role, name, password_hash FROM users WHERE email = ?',
      email,
    );
    expect(user.role).toBe('marketer');
    expect(user.name).toMatch(/^SSO marketing\./);
    // No password signs in to an account made by SSO.
    expect(user.password_hash.startsWith('scrypt$')).toBe(false);
    const audit = await dbAll<{ action: string; details: string | null }>(
      "SELECT action, details FROM audit_log WHERE target_id = ? AND target_type = 'user' OR (actor_type = 'user' AND actor_id = ? AND action = 'login.succeeded')",
      String(user.id),
      String(user.id),
    );
    expect(audit.map((entry) => entry.action).sort()).toEqual(['login.succeeded', 'user.created']);
    for (const entry of audit) expect(entry.details ?? '').not.toContain(email);
    await context.close();
  });

  test('a compliance officer from plain /login lands on Mission Control; signing in again reuses the account', async ({
    browser,
  }) => {
    const email = unique('compliance');
    for (const round of [1, 2]) {
      const { context, page } = await newPage(browser);
      await page.goto('/login');
      await continueWithSso(page, email);
      await expect(page, `round ${round}`).toHaveURL(/\/mission-control$/);
      await expect(
        page.getByRole('heading', { level: 1, name: 'Mission Control', exact: true }),
      ).toBeVisible();
      await context.close();
    }
    const rows = await dbAll<{ role: string }>('SELECT role FROM users WHERE email = ?', email);
    expect(rows).toEqual([{ role: 'compliance' }]);
  });

  test('a disallowed email domain, or no mapped role, is refused with a friendly page and no account', async ({
    browser,
  }) => {
    const cases = [
      {
        email: unique('marketing', 'elsewhere.example'),
        error: 'sso-domain',
        text: /accounts from its email domain may not use Tarmo/,
      },
      { email: unique('nobody'), error: 'sso-role', text: /has no Tarmo role yet/ },
    ];
    for (const { email, error, text } of cases) {
      const { context, page } = await newPage(browser);
      await page.goto('/customers');
      await continueWithSso(page, email);
      await expect(page).toHaveURL(new RegExp(`/login\\?error=${error}$`));
      await expect(page.getByRole('heading', { name: 'Sign in to Tarmo' })).toBeVisible();
      await expect(page.locator('#login-error')).toHaveText(text);
      expect(await dbGet('SELECT id FROM users WHERE email = ?', email)).toBeUndefined();
      // Still signed out.
      await page.goto('/journeys');
      await expect(page).toHaveURL(/\/login\?callbackUrl=%2Fjourneys$/);
      await context.close();
    }
  });

  test("starting single sign-on needs the form's CSRF token and this origin", async ({ browser }) => {
    const { context, page } = await newPage(browser);
    await page.goto('/login');
    const csrfToken = await page.locator('input[name="csrfToken"]').first().inputValue();
    const post = (form: Record<string, string>, origin = e2eEnv().baseUrl) =>
      context.request.post('/api/auth/sso', { form, headers: { Origin: origin }, maxRedirects: 0 });
    for (const [label, response] of [
      ['no token', await post({ callbackUrl: '/journeys' })],
      ['wrong token', await post({ callbackUrl: '/journeys', csrfToken: 'f'.repeat(64) })],
      ['other origin', await post({ callbackUrl: '/journeys', csrfToken }, 'https://evil.example')],
    ] as const) {
      expect(response.status(), label).toBe(303);
      expect(response.headers()['location'], label).toBe('/login?error=expired&callbackUrl=%2Fjourneys');
    }
    const ok = await post({ callbackUrl: '/journeys', csrfToken });
    expect(ok.status()).toBe(307);
    expect(ok.headers()['location']).toBe('/api/auth/signin/oidc');
    await context.close();
  });
});
