import { expect, test } from '@playwright/test';
import { DEMO_USERS, loginAs } from './helpers';

test.describe('staff sign-in and roles', () => {
  test('a wrong password fails without saying whether the user exists', async ({ page }) => {
    const messages: string[] = [];
    for (const email of [DEMO_USERS.admin, 'nobody-here@tarmo.demo']) {
      await page.goto('/login');
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Password').fill('definitely-not-the-password');
      await page.getByRole('button', { name: 'Sign in' }).click();
      const alert = page.locator('#login-error');
      await expect(alert).toBeVisible();
      messages.push(await alert.innerText());
    }
    expect(messages[0]).toBe('Email or password is incorrect.');
    expect(messages[1]).toBe(messages[0]);
    await expect(page).toHaveURL(/\/login/);
  });

  test('a page without a session sends to the sign-in form, which returns there', async ({
    request,
    page,
  }) => {
    const response = await request.get('/journeys', { maxRedirects: 0 });
    expect(response.status()).toBe(307);
    expect(response.headers()['location']).toBe('/login?callbackUrl=%2Fjourneys');
    await page.goto('/settings/users');
    await expect(page).toHaveURL(/\/login\?callbackUrl=%2Fsettings%2Fusers$/);
    await expect(page.getByRole('heading', { name: 'Sign in to Tarmo' })).toBeVisible();
  });

  test('a marketer sees journeys but gets 403 for Mission Control, users and privacy requests', async ({
    page,
  }) => {
    await loginAs(page, 'marketer');
    await expect(
      page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Journeys' }),
    ).toBeVisible();
    await expect(page.getByRole('link', { name: 'Mission Control' })).toHaveCount(0);
    for (const path of ['/mission-control', '/settings/users', '/settings/outbox', '/privacy-requests']) {
      const response = await page.goto(path);
      expect(response?.status(), path).toBe(403);
      await expect(page.getByRole('heading', { name: 'Not allowed' })).toBeVisible();
    }
  });

  test('a compliance officer sees Mission Control and privacy requests but not user management', async ({
    page,
  }) => {
    await loginAs(page, 'compliance');
    const nav = page.getByRole('navigation', { name: 'Main' });
    await expect(nav.getByRole('link', { name: 'Mission Control' })).toBeVisible();
    await expect(nav.getByRole('link', { name: 'Privacy requests' })).toBeVisible();
    expect((await page.goto('/mission-control'))?.status()).toBe(200);
    expect((await page.goto('/settings/users'))?.status()).toBe(403);
  });

  test('an admin manages users and sees the outbox; the new user can sign in', async ({ page, browser }) => {
    await loginAs(page, 'admin', '/settings/users');
    await page.getByLabel('Email', { exact: true }).fill('new.marketer@tarmo.demo');
    await page.getByLabel('Name', { exact: true }).fill('New Marketer');
    await page.getByLabel('Role', { exact: true }).selectOption('marketer');
    await page.getByLabel('Password', { exact: true }).fill('a-long-enough-password');
    await page.getByRole('button', { name: 'Save user' }).click();
    await expect(page.getByRole('status')).toHaveText('Created new.marketer@tarmo.demo');
    await expect(page.getByRole('cell', { name: 'new.marketer@tarmo.demo', exact: true })).toBeVisible();
    expect((await page.goto('/settings/outbox'))?.status()).toBe(200);

    const other = await browser.newPage();
    await other.goto('/login');
    await other.getByLabel('Email').fill('new.marketer@tarmo.demo');
    await other.getByLabel('Password').fill('a-long-enough-password');
    await other.getByRole('button', { name: 'Sign in' }).click();
    await expect(other).toHaveURL(/\/journeys/);
    await other.close();
  });

  test('health answers ok while the database answers', async ({ request }) => {
    const response = await request.get('/api/health');
    expect(response.status()).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });
});
