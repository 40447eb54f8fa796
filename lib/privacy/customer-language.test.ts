import { describe, expect, it } from 'vitest';
import { writeTransaction } from '@/db/client';
import { insertCustomers } from '@/db/store/workspace';
import { controllerFor } from '@/lib/config/controller';
import type { DemoCustomer } from '@/lib/demo/customers';
import { DEMO_PURPOSES } from '@/lib/demo/purposes';
import { LOCALES, acceptedLocale, formatPeriod, pickLocale, translator } from '@/lib/mail/i18n';
import { senderFor } from '@/lib/mail/transport';
import {
  erasureReceiptMail,
  exportMail,
  extensionMail,
  optInMail,
  verifyRequestMail,
} from '@/lib/mail/templates/privacy-mails';
import { useTempDatabase } from '@/tests/helpers/db';
import { optInGet, preferencesGet, privacyNoticeGet } from './customer-pages';
import { recordConsentEvent } from './ledger';
import { createLink } from './links';
import { seedPrivacyFixtures } from '@/tests/fixtures/privacy';

useTempDatabase();

const customer = (locale: string, n: number) => ({
  externalId: `lang-${n}`,
  email: `lang${n}@kunde.test`,
  name: `Kunde ${n}`,
  // The demo type allows only the languages we speak; a stored tag may be any (here "fi").
  locale: locale as DemoCustomer['locale'],
  timeZone: 'Europe/Berlin',
  attributes: {},
});

describe('the language of customer pages', () => {
  it('is the stored language, then Accept-Language (by q-value), then English', () => {
    expect(pickLocale('de', 'en-GB,en;q=0.9')).toBe('de');
    expect(pickLocale('fi', 'de-AT,de;q=0.9,en;q=0.5')).toBe('de');
    expect(pickLocale('fi', 'fr-FR')).toBe('en');
    expect(pickLocale(null, null)).toBe('en');
    expect(acceptedLocale('en;q=0.4, de;q=0.8')).toBe('de');
    expect(acceptedLocale('de;q=0, en')).toBe('en');
    expect(formatPeriod(730, 'de')).toBe('2 Jahre');
    expect(formatPeriod(90, 'en')).toBe('3 months');
    expect(formatPeriod(45, 'de')).toBe('45 Tage');
  });

  it('speaks German throughout to a person of unknown language with a German browser, history in plain words', async () => {
    const { purposes } = await seedPrivacyFixtures(0);
    const [finn] = await insertCustomers([customer('fi', 1)]);
    const newsletter = purposes.find((p) => p.key === 'newsletter')!;
    const at = new Date('2026-12-07T10:00:00Z');
    const { raw, optin } = await writeTransaction(async (db) => {
      await recordConsentEvent(db, {
        customerId: finn!.id,
        purposeId: newsletter.id,
        action: 'request',
        source: 'form',
        evidence: {},
        occurredAt: new Date('2026-12-06T10:00:00Z'),
      });
      await recordConsentEvent(db, {
        customerId: finn!.id,
        purposeId: newsletter.id,
        action: 'grant',
        source: 'form',
        evidence: {},
        occurredAt: at,
      });
      const link = await createLink(db, { kind: 'preferences', customerId: finn!.id });
      const optinLink = await createLink(db, {
        kind: 'optin',
        customerId: finn!.id,
        purposeId: newsletter.id,
      });
      return { raw: link.raw, optin: optinLink.raw };
    });

    const page = await preferencesGet(raw, 'de-DE,de;q=0.9,en;q=0.8');
    expect(page.status).toBe(200);
    expect(page.html).toContain('lang="de"');
    expect(page.html).toContain(
      'Am 7. Dezember 2026 haben Sie „Newsletter“ bestätigt. Erfasst über unsere Website',
    );
    expect(page.html).toContain('Am 6. Dezember 2026 haben wir Sie gebeten, „Newsletter“ zu bestätigen.');
    // Nothing English left in the history, and no raw values (grant / request / form).
    const history = /<ul data-testid="consent-history">([\s\S]*?)<\/ul>/.exec(page.html)![1]!;
    expect(history).not.toMatch(/\b(grant|request|form|You|Date|Action|Source)\b/);
    expect(page.html).toContain('Wir bewahren Ihre Daten für diesen Zweck');
    expect(page.html).toContain('Verantwortlich für Ihre Daten: Tarmo Village Shop');
    expect(page.html).toContain('href="/privacy"');
    // The same person with an English browser: English, stored language unknown.
    expect((await preferencesGet(raw, 'en-US')).html).toContain(
      'You confirmed “Newsletter” on 7 December 2026.',
    );

    const confirm = await optInGet(optin, 'de');
    expect(confirm.html).toContain('Ja, ich bestätige');
    expect(confirm.html).toContain(DEMO_PURPOSES.find((p) => p.key === 'newsletter')!.notice.de);
    expect(confirm.html).toMatch(/Wir bewahren Ihre Daten für diesen Zweck \d+ (Jahre|Monate|Tage)/);
  });

  it('answers a link that does not work in the browser language only, whoever it belonged to', async () => {
    const [german] = await insertCustomers([customer('de', 2)]);
    const used = await writeTransaction(
      async (db) => await createLink(db, { kind: 'preferences', customerId: german!.id, hours: -1 }),
    );
    const unknown = 'A'.repeat(43);
    const expired = await preferencesGet(used.raw, 'en');
    const never = await preferencesGet(unknown, 'en');
    expect(expired.html).toBe(never.html);
    expect(never.html).toContain('This link no longer works');
    expect((await optInGet(unknown, 'de-CH,de;q=0.9')).html).toContain('lang="de"');
  });

  it('the full privacy notice names the controller, each purpose with basis, retention and recipients', async () => {
    const page = await privacyNoticeGet('de');
    expect(page.html).toContain('Datenschutzerklärung');
    expect(page.html).toContain('Tarmo Village Shop ist für die hier beschriebenen');
    expect(page.html).toContain(translator('de')('basis.consent'));
    expect(page.html).toContain('Bio-Avocado-Genossenschaft');
    expect(page.html).toContain('10 Jahre');
  });

  it('the sender name is the controller named by the notice text, in every language', () => {
    const newsletter = DEMO_PURPOSES.find((p) => p.key === 'newsletter')!;
    for (const locale of LOCALES) {
      const name = controllerFor(locale, {}).name;
      expect(newsletter.notice[locale]).toContain(name);
      expect(senderFor({ 'Content-Language': locale }, {})).toEqual({
        name,
        address: 'no-reply@tarmo.localhost',
      });
    }
    expect(senderFor({}, { MAIL_FROM: 'Shop <shop@example.org>' })).toBe('Shop <shop@example.org>');
    expect(
      controllerFor('de', { TARMO_CONTROLLER_NAME: 'Acme', TARMO_CONTROLLER_NAME_DE: 'Acme GmbH' }).name,
    ).toBe('Acme GmbH');
  });

  it('every privacy mail (opt-in, export, request, extension, erasure receipt) says its language', () => {
    const at = new Date('2026-12-07T10:00:00Z');
    for (const [locale, language] of [
      ['de-AT', 'de'],
      ['en', 'en'],
      ['fi', 'en'],
    ] as const) {
      const mails = [
        optInMail({ locale, purposeName: 'N', themeNames: [], noticeText: 'T', url: 'u', hours: 72 }),
        exportMail({ locale, url: 'u', expiresAt: at }),
        verifyRequestMail({ locale, kind: 'access', url: 'u' }),
        extensionMail({ locale, kind: 'access', receivedAt: at, dueAt: at, reason: 'r' }),
        erasureReceiptMail({ locale, erasedAt: at, restrictedReasons: [] }),
      ];
      for (const mail of mails) {
        expect(mail.headers, locale).toEqual({ 'Content-Language': language });
        expect(senderFor(mail.headers, {})).toEqual({
          name: controllerFor(language, {}).name,
          address: 'no-reply@tarmo.localhost',
        });
      }
    }
  });
});
