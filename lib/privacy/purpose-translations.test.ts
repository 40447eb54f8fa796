import { beforeAll, describe, expect, it } from 'vitest';
import { useTempDatabase } from '@/tests/helpers/db';
import { getDb } from '@/db/client';
import { upsertUser } from '@/db/store/users';
import { insertCustomers, insertPurposes } from '@/db/store/workspace';
import { DEMO_PURPOSES } from '@/lib/demo/purposes';
import type { MessageContent } from '@/lib/messages/content';
import { buildMarketingMail } from '@/lib/outbox/marketing';
import { preferencesGet, privacyNoticeGet, unsubscribeGet } from './customer-pages';
import { createLink } from './links';
import { publishPurposeNotice, updatePurpose } from './purposes-admin';

useTempDatabase();
let greta = 0;
let ella = 0;
let admin = { id: 0 };

const content: MessageContent = {
  fallbackLanguage: 'en',
  variants: {
    en: {
      subject: 'About {{ purpose.name }}',
      mode: 'simple',
      blocks: [{ type: 'paragraph', text: '{{ theme.name }}' }],
    },
    de: {
      subject: 'Über {{ purpose.name }}',
      mode: 'simple',
      blocks: [{ type: 'paragraph', text: '{{ theme.name }}' }],
    },
  },
};

beforeAll(async () => {
  await insertPurposes(DEMO_PURPOSES);
  const { user } = await upsertUser({ email: 'admin@example.com', role: 'admin', passwordHash: 'x' });
  admin = { id: user.id };
  const rows = await insertCustomers([
    { email: 'greta@example.com', name: 'Greta', locale: 'de', attributes: {} },
    { email: 'ella@example.com', name: 'Ella', locale: 'en', attributes: {} },
  ] as never);
  [greta, ella] = rows.map((row) => (row as { id: number }).id);
});

describe('purpose and theme names per language', () => {
  it('shows German customers German purpose and theme names on their pages', async () => {
    const link = await createLink(getDb(), { kind: 'preferences', customerId: greta });
    const page = await preferencesGet(link.raw);
    expect(page.html).toContain('Persönliche Angebote');
    expect(page.html).toContain('Rezepte');
    expect(page.html).not.toContain('Personalised offers');
    const english = await preferencesGet(
      (await createLink(getDb(), { kind: 'preferences', customerId: ella })).raw,
    );
    expect(english.html).toContain('Personalised offers');
    expect((await privacyNoticeGet('de-DE,de;q=0.9')).html).toContain('Rechnungen');
    const purposeId = (await getDb().query.purposes.findFirst({
      where: (p, { eq }) => eq(p.key, 'personalised-offers'),
    }))!.id;
    const unsubscribe = await createLink(getDb(), { kind: 'unsubscribe', customerId: greta, purposeId });
    expect((await unsubscribeGet(unsubscribe.raw)).html).toContain('Persönliche Angebote');
  });

  it('names the purpose and theme in German in a German mail, body and legal footer', async () => {
    const mail = await buildMarketingMail(getDb(), {
      customerId: greta,
      purposeKey: 'newsletter',
      themeKey: 'recipes',
      content,
    });
    expect(mail.ok && mail.subject).toBe('Über Newsletter');
    expect(mail.ok && mail.text).toContain('Rezepte');
    const offers = await buildMarketingMail(getDb(), {
      customerId: greta,
      purposeKey: 'personalised-offers',
      content,
    });
    expect(offers.ok && offers.subject).toBe('Über Persönliche Angebote');
    expect(offers.ok && offers.text).toMatch(/„Persönliche Angebote“|Persönliche Angebote/);
    expect(offers.ok && offers.text).not.toContain('Personalised offers');
    const english = await buildMarketingMail(getDb(), {
      customerId: ella,
      purposeKey: 'personalised-offers',
      content,
    });
    expect(english.ok && english.subject).toBe('About Personalised offers');
  });

  it('edits the German texts on the purpose settings; click tracking needs a notice that says so', async () => {
    const base = {
      key: 'newsletter',
      name: 'Newsletter',
      description: 'A monthly mail about new products and recipes.',
      legalBasis: 'consent',
      retentionDays: '730',
      recipients: [],
      retentionDuty: '',
    };
    expect(
      await updatePurpose({ ...base, nameDe: 'Rundbrief', descriptionDe: 'Monatlich' }, admin),
    ).toMatchObject({ ok: true, value: { changed: ['translations'] } });
    const mail = await buildMarketingMail(getDb(), { customerId: greta, purposeKey: 'newsletter', content });
    expect(mail.ok && mail.subject).toBe('Über Rundbrief');

    const refused = await updatePurpose(
      { ...base, nameDe: 'Rundbrief', descriptionDe: 'Monatlich', clickTracking: true },
      admin,
    );
    expect(refused).toMatchObject({ ok: false, error: { field: 'clickTracking' } });
    await publishPurposeNotice(
      {
        purposeKey: 'newsletter',
        en: 'A monthly newsletter. We record which links in it you click.',
        de: 'Ein monatlicher Rundbrief. Wir erfassen, welche Links darin Sie anklicken.',
      },
      admin,
    );
    expect(
      await updatePurpose(
        { ...base, nameDe: 'Rundbrief', descriptionDe: 'Monatlich', clickTracking: true },
        admin,
      ),
    ).toMatchObject({ ok: true, value: { changed: ['clickTracking'] } });
  });
});
