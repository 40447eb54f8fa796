import { beforeAll, describe, expect, it } from 'vitest';
import { useTempDatabase } from '@/tests/helpers/db';
import { getDb } from '@/db/client';
import { upsertUser } from '@/db/store/users';
import type { StaffUser } from '@/lib/auth/roles';
import { createJourney } from '@/lib/journeys/service';
import { insertCustomers, insertPurposes } from '@/db/store/workspace';
import { DEMO_PURPOSES } from '@/lib/demo/purposes';
import { buildMarketingMail } from '@/lib/outbox/marketing';
import type { MessageContent } from './content';
import { previewMessage, sendTestMessage } from './preview';

const database = useTempDatabase();
let greta = 0;

const content: MessageContent = {
  fallbackLanguage: 'en',
  variants: {
    en: {
      subject: 'News for {{ firstName | default: "you" }}',
      mode: 'simple',
      blocks: [{ type: 'paragraph', text: 'Hi {{ firstName | default: "there" }}' }],
    },
    de: {
      subject: 'Neues für {{ firstName | default: "Sie" }}',
      mode: 'simple',
      blocks: [{ type: 'paragraph', text: 'Hallo {{ firstName | default: "zusammen" }}' }],
    },
  },
};

beforeAll(async () => {
  await insertPurposes(DEMO_PURPOSES);
  const [row] = await insertCustomers([
    {
      externalId: 'g',
      email: 'greta@example.com',
      name: 'Greta Gruber',
      locale: 'de',
      timeZone: 'Europe/Berlin',
      attributes: {},
    },
  ]);
  greta = (row as { id: number }).id;
});

describe('preview and test send', () => {
  it('previews as a real customer in their language, and as an empty profile, writing nothing', async () => {
    const before = await database.get<{ n: number }>('SELECT count(*) AS n FROM tokens');
    const asGreta = await previewMessage({
      content,
      purpose: 'newsletter',
      customerId: greta,
      language: 'en',
    });
    expect(asGreta.ok && asGreta.value).toMatchObject({ language: 'de', subject: 'Neues für Greta' });
    expect(asGreta.ok && asGreta.value.text).toContain('/unsubscribe/preview');
    const empty = await previewMessage({ content, purpose: 'newsletter', language: 'en' });
    expect(empty.ok && empty.value.subject).toBe('News for you');
    expect(await database.get('SELECT count(*) AS n FROM tokens')).toEqual(before);
    const unknown = await previewMessage({
      content,
      purpose: 'newsletter',
      customerId: 999_999,
      language: 'en',
    });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'unknown_customer', field: 'customerId' } });
  });

  it('queues a test mail to the staff member, marked as a test, with no customer, consent or ledger effect', async () => {
    const ledger = await database.get<{ n: number }>('SELECT count(*) AS n FROM consent_events');
    const staff = { id: 7, email: 'Maija@Example.com', name: 'Maija', role: 'marketer' as const };
    const sent = await sendTestMessage(staff, {
      content,
      purpose: 'newsletter',
      customerId: greta,
      language: 'en',
      toSavedList: false,
    });
    expect(sent).toEqual({
      ok: true,
      value: { to: ['maija@example.com'], subject: '[TEST] Neues für Greta' },
    });
    const rows = await database.all<{
      to_address: string;
      category: string;
      customer_id: number | null;
      body_text: string;
    }>("SELECT to_address, category, customer_id, body_text FROM outbox WHERE category = 'test' ORDER BY id");
    expect(rows.map((row) => [row.to_address, row.customer_id])).toEqual([['maija@example.com', null]]);
    expect(rows[0].body_text).toContain('TESTNACHRICHT');
    expect(await database.get('SELECT count(*) AS n FROM consent_events')).toEqual(ledger);
  });

  it('formats {{ … | date }} in the customer’s time zone and language, in the preview and the real mail alike', async () => {
    const dated: MessageContent = {
      fallbackLanguage: 'en',
      variants: {
        en: { subject: 'S', mode: 'simple', blocks: [{ type: 'paragraph', text: 'On {{ sale | date }}' }] },
        de: { subject: 'S', mode: 'simple', blocks: [{ type: 'paragraph', text: 'Am {{ sale | date }}' }] },
      },
    };
    // 23:30 on New Year's Eve in UTC is already 1 January in Berlin.
    await database.run(
      `UPDATE customers SET attributes = '{"sale":"2026-12-31T23:30:00Z"}' WHERE id = ?`,
      greta,
    );
    const preview = await previewMessage({
      content: dated,
      purpose: 'newsletter',
      customerId: greta,
      language: 'en',
    });
    expect(preview.ok && preview.value.text).toContain('Am 1. Januar 2027');
    const mail = await buildMarketingMail(getDb(), {
      customerId: greta,
      purposeKey: 'newsletter',
      content: dated,
    });
    expect(mail.ok && mail.text).toContain('Am 1. Januar 2027');
    expect(mail.ok && mail.html).toContain('Am 1. Januar 2027');
  });

  it('names the journey as its mails will, and lists MJML validation errors while still showing the mail', async () => {
    const { user } = await upsertUser({ email: 'mia@example.com', role: 'marketer', passwordHash: 'x' });
    const journey = await createJourney({ ...user, role: 'marketer' } as StaffUser, 'Welcome series');
    if (!journey.ok) throw new Error('journey failed');
    const journeyId = journey.value.id;
    const named: MessageContent = {
      fallbackLanguage: 'en',
      variants: {
        en: {
          subject: 'From {{ journey.name }}',
          mode: 'mjml',
          mjml: '<mjml><mj-body><mj-section><mj-column><mj-text>Hi</mj-text><mj-bogus /></mj-column></mj-section></mj-body></mjml>',
        },
      },
    };
    const preview = await previewMessage({
      content: named,
      purpose: 'newsletter',
      language: 'en',
      journeyId,
    });
    if (!preview.ok) throw new Error(preview.error.message);
    expect(preview.value.subject).toBe('From Welcome series');
    expect(preview.value.mjmlErrors).toEqual([expect.stringMatching(/^Line 1: .*mj-bogus/)]);
    expect(preview.value.html).toContain('data-tarmo-footer');
  });
});
