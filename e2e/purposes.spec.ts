import { expect, test } from '@playwright/test';
import { dbAll, dbOne, loginAs } from './helpers';

const countPurposes = async (key: string) =>
  (await dbOne<{ n: number }>('SELECT count(*) AS n FROM purposes WHERE key = ?', key)).n;

test.describe('purposes & notices admin', () => {
  test('an admin creates a purpose with a theme, publishes notice v2 and sees it listed', async ({
    page,
  }) => {
    await loginAs(page, 'admin', '/settings');
    await page.getByRole('link', { name: /Purposes & notices/ }).click();
    await expect(page.getByRole('heading', { name: 'Purposes & notices', level: 1 })).toBeVisible();
    // The demo purposes are listed with their basis and notice versions.
    await expect(page.getByTestId('purpose-newsletter')).toContainText('Consent — Art. 6(1)(a)');
    await expect(page.getByTestId('notice-versions-newsletter')).toContainText('en v1');

    // Bad input: errors beside the fields, nothing created, typed values kept.
    await page.getByLabel('Key', { exact: true }).fill('Garden Club');
    await page.getByLabel('Name', { exact: true }).fill('Garden club');
    await page.getByLabel('Retention (days)').fill('0');
    await page.getByRole('button', { name: 'Create purpose' }).click();
    await expect(page.getByTestId('error-key')).toContainText('Lower-case letters');
    await expect(page.getByTestId('error-retentionDays')).toContainText('At least 1 day');
    await expect(page.getByLabel('Name', { exact: true })).toHaveValue('Garden club');
    expect(await countPurposes('garden-club')).toBe(0);

    await page.getByLabel('Key', { exact: true }).fill('garden-club');
    await page.getByLabel('Retention (days)').fill('730');
    await page.getByLabel('Legal basis').selectOption('consent');
    await page.getByLabel('Recipients (one per line: key | name)').fill('green-partner | Green Partner GmbH');
    await page.getByRole('button', { name: 'Create purpose' }).click();
    await expect(page).toHaveURL(/\/settings\/purposes\/garden-club$/);
    await expect(page.getByRole('heading', { name: 'Garden club', level: 1 })).toBeVisible();
    expect(await countPurposes('garden-club')).toBe(1);

    await page.getByLabel('Theme key').fill('seeds');
    await page.getByLabel('Theme name', { exact: true }).fill('Seeds');
    await page.getByRole('button', { name: 'Add theme' }).click();
    await expect(page.getByTestId('theme-seeds')).toBeVisible();
    await page.getByLabel('Theme key').fill('seeds');
    await page.getByLabel('Theme name', { exact: true }).fill('Seeds again');
    await page.getByRole('button', { name: 'Add theme' }).click();
    await expect(page.getByTestId('error-key')).toContainText('already has a theme with the key "seeds"');

    const notice = page.getByRole('form', { name: 'Publish a new notice version' });
    await notice.getByLabel('Notice text (English, required)').fill('The garden club sends you seed news.');
    await notice.getByRole('button', { name: 'Publish notice' }).click();
    await expect(notice.getByRole('status')).toHaveText('Notice version 1 published.');
    await notice
      .getByLabel('Notice text (English, required)')
      .fill('The garden club sends you seed news and event invitations.');
    await notice
      .getByLabel('Notice text (German, optional)')
      .fill('Der Gartenklub schickt Ihnen Saatgut-News und Einladungen.');
    await notice.getByLabel(/requires fresh consent/).check();
    await notice.getByRole('button', { name: 'Publish notice' }).click();
    await expect(notice.getByRole('status')).toHaveText('Notice version 2 published.');
    await expect(page.getByTestId('notice-v2-en')).toContainText('required');
    await expect(page.getByTestId('notice-v2-de')).toBeVisible();
    await expect(page.getByTestId('notice-v1-en')).toBeVisible();

    await page.getByRole('link', { name: '← Purposes & notices' }).click();
    const row = page.getByTestId('purpose-garden-club');
    await expect(row).toContainText('Green Partner GmbH');
    await expect(row).toContainText('Seeds');
    await expect(page.getByTestId('notice-versions-garden-club')).toHaveText('de v2, en v2');
    const audit = await dbAll<{ action: string }>(
      "SELECT action FROM audit_log WHERE target_type = 'purpose' AND target_id = (SELECT CAST(id AS TEXT) FROM purposes WHERE key = 'garden-club') ORDER BY id",
    );
    expect(audit.map((a) => a.action)).toEqual([
      'purpose.created',
      'theme.created',
      'notice.published',
      'notice.published',
    ]);

    // The demo newsletter already has consent records: its legal basis is fixed.
    await page.goto('/settings/purposes/newsletter');
    await page.getByLabel('Legal basis').selectOption('legitimate-interests');
    await page.getByRole('button', { name: 'Save purpose' }).click();
    await expect(page.getByTestId('error-legalBasis')).toContainText('The legal basis cannot change');
    const basis = await dbOne<{ basis: string }>(
      "SELECT legal_basis AS basis FROM purposes WHERE key = 'newsletter'",
    );
    expect(basis.basis).toBe('consent');
  });

  test('a marketer gets 403; a compliance officer may look but not edit', async ({ page, browser }) => {
    await loginAs(page, 'marketer');
    expect((await page.goto('/settings/purposes'))?.status()).toBe(403);
    expect((await page.goto('/settings/purposes/newsletter'))?.status()).toBe(403);

    const compliance = await browser.newPage();
    await loginAs(compliance, 'compliance');
    expect((await compliance.goto('/settings/purposes/newsletter'))?.status()).toBe(200);
    await expect(compliance.getByTestId('notice-v1-en')).toBeVisible();
    await expect(compliance.getByRole('button', { name: 'Publish notice' })).toHaveCount(0);
    await compliance.close();
  });
});
