import { beforeAll, describe, expect, it } from 'vitest';
import { useTempDatabase } from '@/tests/helpers/db';
import { getDb } from '@/db/client';
import { insertCustomers, insertPurposes } from '@/db/store/workspace';
import { appEnv } from '@/lib/config/env';
import { DEMO_PURPOSES } from '@/lib/demo/purposes';
import type { MessageContent } from '@/lib/messages/content';
import { buildMarketingMail } from '@/lib/outbox/marketing';
import { createLink } from '@/lib/privacy/links';
import { recordClick } from './clicks';

const database = useTempDatabase();
let customerId = 0;

const content: MessageContent = {
  fallbackLanguage: 'en',
  variants: {
    en: {
      subject: 'Offers',
      mode: 'simple',
      blocks: [
        { type: 'paragraph', text: 'Hello {{ firstName | default: "there" }}' },
        { type: 'button', label: 'See offers', url: 'https://shop.example/offers?a=1&b=2' },
        { type: 'paragraph', text: 'Settings: {{ preferences_url }}' },
      ],
    },
  },
};

const tracked = (html: string) => [...html.matchAll(/href="([^"]*\/c\/[^"]+)"/g)].map((m) => m[1]!);

beforeAll(async () => {
  await insertPurposes(DEMO_PURPOSES);
  const [row] = await insertCustomers([
    { email: 'aino@example.com', name: 'Aino', locale: 'en', attributes: {} },
  ] as never);
  customerId = (row as { id: number }).id;
});

describe('click tracking', () => {
  it('is off by default: no rewritten links, no pixel, no click tokens', async () => {
    const mail = await buildMarketingMail(getDb(), { customerId, purposeKey: 'newsletter', content });
    if (!mail.ok) throw new Error(mail.reason);
    expect(mail.html).toContain('href="https://shop.example/offers?a=1&amp;b=2"');
    expect(tracked(mail.html)).toEqual([]);
    expect(mail.html).not.toMatch(/<img\b/i);
    expect(mail.text).toContain('https://shop.example/offers?a=1&b=2');
    expect(await database.get("SELECT count(*) AS n FROM tokens WHERE kind = 'click'")).toEqual({ n: 0 });
  });

  it('when the purpose turns it on, rewrites the body links and records each click with the purpose', async () => {
    await database.run("UPDATE purposes SET click_tracking = 1 WHERE key = 'newsletter'");
    const mail = await buildMarketingMail(getDb(), {
      customerId,
      purposeKey: 'newsletter',
      themeKey: 'recipes',
      content,
    });
    if (!mail.ok) throw new Error(mail.reason);
    const links = tracked(mail.html);
    expect(links).toHaveLength(1);
    expect(links[0]!.startsWith(`${appEnv().appUrl}/c/`)).toBe(true);
    expect(mail.html).not.toContain('shop.example');
    expect(mail.text).toContain(links[0]!);
    expect(mail.text).not.toContain('shop.example');
    // Links to Tarmo itself and the legal footer stay as they are.
    expect(mail.text).toMatch(/Settings: http\S+\/preferences\//);
    expect(mail.html).toMatch(/href="http[^"]+\/unsubscribe\/[^"]+"/);
    expect(mail.html).not.toMatch(/<img\b/i);

    const raw = links[0]!.split('/c/')[1]!;
    expect(await recordClick(raw)).toEqual({
      ok: true,
      value: { url: 'https://shop.example/offers?a=1&b=2' },
    });
    expect(await recordClick(raw)).toMatchObject({ ok: true });
    const events = await database.all<{ name: string; properties: string; customer_id: number }>(
      "SELECT name, properties, customer_id FROM events WHERE name = 'email.clicked'",
    );
    expect(events).toHaveLength(2);
    expect(events[0]!.customer_id).toBe(customerId);
    expect(JSON.parse(String(events[0]!.properties))).toEqual({
      purpose: 'newsletter',
      theme: 'recipes',
      url: 'https://shop.example/offers?a=1&b=2',
    });
    // No consent changed.
    expect(await database.get('SELECT count(*) AS n FROM consent_events')).toEqual({ n: 0 });
  });

  it('redirects only to a stored http(s) address; unknown and other links record nothing', async () => {
    const before = await database.get('SELECT count(*) AS n FROM events');
    expect(await recordClick('not-a-token')).toMatchObject({ ok: false, error: { code: 'not_found' } });
    const unsubscribe = await createLink(getDb(), { kind: 'unsubscribe', customerId, purposeId: 1 });
    expect(await recordClick(unsubscribe.raw)).toMatchObject({ ok: false, error: { code: 'not_found' } });
    const script = await createLink(getDb(), {
      kind: 'click',
      customerId,
      purposeId: 1,
      payload: { url: 'javascript:alert(1)' },
    });
    expect(await recordClick(script.raw)).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await database.get('SELECT count(*) AS n FROM events')).toEqual(before);
  });
});
