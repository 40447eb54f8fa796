import { expect, test, type Page } from '@playwright/test';
import { dbOne, loginAs } from './helpers';

// What the browser itself writes for an instant, in an explicit locale and zone (independent of
// the app's code): the staff pages must show exactly this for the browser's own locale and zone.
async function browserText(page: Page, iso: string, locale: string, timeZone: string): Promise<string> {
  return page.evaluate(
    ([value, loc, zone]) =>
      new Intl.DateTimeFormat(loc, { dateStyle: 'medium', timeStyle: 'short', timeZone: zone }).format(
        new Date(value),
      ),
    [iso, locale, timeZone] as const,
  );
}

test.describe('dates on staff pages', () => {
  test('are written in the browser’s locale and time zone, with the instant in datetime', async ({
    browser,
  }) => {
    const context = await browser.newContext({ locale: 'de-DE', timezoneId: 'Asia/Tokyo' });
    const page = await context.newPage();
    const customer = await dbOne<{ id: number }>(
      'SELECT customer_id AS id FROM consent_events ORDER BY id LIMIT 1',
    );
    await loginAs(page, 'compliance', '/audit');
    for (const [path, table] of [
      ['/audit', 'audit-log'],
      [`/customers/${customer.id}`, 'consent-timeline'],
    ] as const) {
      await page.goto(path);
      const time = page.getByTestId(table).locator('tbody time').first();
      await expect(time).toBeVisible();
      const iso = (await time.getAttribute('datetime')) ?? '';
      expect(iso).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      // German, Tokyo time (UTC+9), not ISO and not UTC; the UTC text stays in the title.
      await expect(time).toHaveText(await browserText(page, iso, 'de-DE', 'Asia/Tokyo'));
      await expect(time).not.toContainText('UTC');
      await expect(time).toHaveAttribute('title', /UTC$/);
      await time.scrollIntoViewIfNeeded();
      await page.screenshot({ path: test.info().outputPath(`dates-${table}.png`), fullPage: false });
    }
    await context.close();
  });

  test('without JavaScript, the server writes the Accept-Language locale in UTC and names the zone', async ({
    browser,
  }) => {
    const signIn = await browser.newContext();
    await loginAs(await signIn.newPage(), 'compliance', '/audit');
    const state = await signIn.storageState();
    await signIn.close();
    const context = await browser.newContext({
      storageState: state,
      javaScriptEnabled: false,
      locale: 'de-DE',
      timezoneId: 'Asia/Tokyo',
    });
    const page = await context.newPage();
    await page.goto('/audit');
    const time = page.getByTestId('audit-log').locator('tbody time').first();
    const iso = (await time.getAttribute('datetime')) ?? '';
    const utc = new Date(iso);
    const hh = String(utc.getUTCHours()).padStart(2, '0');
    const mm = String(utc.getUTCMinutes()).padStart(2, '0');
    // e.g. "7. Dez. 2026, 09:05 UTC": German words, the UTC clock, the zone named.
    await expect(time).toHaveText(
      new RegExp(`^${utc.getUTCDate()}\\. \\S+ ${utc.getUTCFullYear()}, ${hh}:${mm} UTC$`),
    );
    await context.close();
  });
});
