import crypto from 'node:crypto';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { dbOne, waitForMail } from './helpers';

const unique = () => `${Date.now()}-${crypto.randomBytes(3).toString('hex')}`;

async function expectNoSeriousViolations(page: Page, label: string) {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(serious, label).toEqual([]);
}

test.describe('consent receipts', () => {
  test('the opt-in confirmation links a signed receipt (HTML, JSON, JWS) that verifies with the published keys and names its ledger event', async ({
    page,
    request,
    baseURL,
  }) => {
    const email = `receipt-${unique()}@example.org`;
    expect(
      (
        await request.post('/api/v1/subscribe', {
          data: { email, purposes: ['newsletter'], noticeVersion: 1 },
        })
      ).status(),
    ).toBe(202);
    const mail = await waitForMail(email, (m) => /\/optin\//.test(m.text));
    const token = /\/optin\/([A-Za-z0-9_-]{43})/.exec(mail.text)![1]!;
    await page.goto(`/optin/${token}`);
    await page.getByRole('button', { name: 'Yes, I confirm' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Thank you, confirmed');
    const link = page.locator('a[rel="receipt"]');
    await expect(link).toHaveCount(1);
    const href = (await link.getAttribute('href'))!;
    const receiptPath = new URL(href).pathname;
    expect(receiptPath).toMatch(/^\/receipts\/[A-Za-z0-9_-]{43}$/);

    // The confirmation mail links the same receipt.
    const confirmation = await waitForMail(email, (m) => m.text.includes('/receipts/'));
    expect(confirmation.text).toContain(receiptPath);

    // HTML in the person's language, accessible.
    await page.goto(receiptPath);
    await expect(page.getByRole('heading', { level: 1 })).toContainText('Consent receipt');
    await expect(page.getByTestId('receipt-action')).toHaveText('You gave your consent.');
    await expectNoSeriousViolations(page, 'receipt page');

    // The notice link shows that exact text.
    const noticeHref = (await page.getByTestId('receipt-notice').getAttribute('href'))!;
    await page.goto(new URL(noticeHref).pathname + new URL(noticeHref).search);
    await expect(page.getByTestId('notice-text')).toBeVisible();
    await expectNoSeriousViolations(page, 'notice version page');

    const json = await request.get(receiptPath, { headers: { accept: 'application/json' } });
    expect(json.headers()['content-type']).toContain('application/json');
    const body = (await json.json()) as {
      receipt: { ledger: { eventId: number; hash: string } };
      jws: string;
    };
    const jws = await (await request.get(receiptPath, { headers: { accept: 'application/jose' } })).text();
    expect(jws).toBe(body.jws);

    const keys = createRemoteJWKSet(new URL('/.well-known/tarmo-receipt-keys.json', baseURL));
    const { payload, protectedHeader } = await jwtVerify(jws, keys, { algorithms: ['EdDSA'] });
    expect(protectedHeader.kid).toBeTruthy();
    const event = await dbOne<{ hash: string }>(
      'SELECT hash FROM consent_events WHERE id = ?',
      body.receipt.ledger.eventId,
    );
    expect((payload as { ledger: { hash: string } }).ledger.hash).toBe(event.hash);
    expect(JSON.stringify(payload)).not.toContain(email);
  });
});
