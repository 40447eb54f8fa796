import { beforeAll, describe, expect, it } from 'vitest';
import { useTempDatabase } from '@/tests/helpers/db';
import { upsertUser } from '@/db/store/users';
import { insertCustomers } from '@/db/store/workspace';
import { demoCustomers } from '@/lib/demo/customers';
import { recordConsent } from './ledger';
import { checkContactAllowed } from './contact-check';
import {
  addTheme,
  createPurpose,
  currentNoticeVersions,
  listPurposesOverview,
  parseRecipientLines,
  publishPurposeNotice,
  renameTheme,
  updatePurpose,
} from './purposes-admin';

const db = useTempDatabase();
let admin = { id: 0 };
let customerIds: number[] = [];

const validPurpose = {
  key: 'spring-offers',
  name: 'Spring offers',
  description: 'Seasonal offers by mail.',
  legalBasis: 'consent',
  retentionDays: '365',
  recipients: parseRecipientLines('partner-x | Partner X GmbH\n\n  mailer | Mailer Ltd  '),
  retentionDuty: '',
};

async function auditActions(purposeId: number): Promise<string[]> {
  const rows = (await db.all(
    "SELECT action FROM audit_log WHERE target_type = 'purpose' AND target_id = ? ORDER BY id",
    String(purposeId),
  )) as { action: string }[];
  return rows.map((r) => r.action);
}

async function purposeCount(): Promise<number> {
  return ((await db.get('SELECT count(*) AS n FROM purposes')) as { n: number }).n;
}

beforeAll(async () => {
  const { user } = await upsertUser({ email: 'admin@test.local', role: 'admin', passwordHash: 'x' });
  admin = { id: user.id };
  customerIds = (await insertCustomers(demoCustomers(2, 7))).map((c) => c.id);
});

describe('purposes admin', () => {
  it('creates a purpose with recipients and audits it without personal data', async () => {
    const result = await createPurpose(validPurpose, admin);
    expect(result).toMatchObject({ ok: true, value: { key: 'spring-offers' } });
    const [view] = await listPurposesOverview();
    expect(view).toMatchObject({
      key: 'spring-offers',
      legalBasis: 'consent',
      retentionDays: 365,
      retentionDuty: null,
      recipients: [
        { key: 'partner-x', name: 'Partner X GmbH' },
        { key: 'mailer', name: 'Mailer Ltd' },
      ],
    });
    expect(await auditActions(view.id)).toEqual(['purpose.created']);
  });

  it('rejects bad input field by field and changes nothing', async () => {
    const before = await purposeCount();
    const bad = await createPurpose(
      {
        ...validPurpose,
        key: 'Bad Key!',
        name: ' ',
        legalBasis: 'because-we-can',
        retentionDays: '0',
        recipients: parseRecipientLines('no-name-here'),
      },
      admin,
    );
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(Object.keys(bad.error.fieldErrors).sort()).toEqual([
      'key',
      'legalBasis',
      'name',
      'recipients',
      'retentionDays',
    ]);
    expect((await createPurpose({ ...validPurpose, key: 'long-one', retentionDays: 36501 }, admin)).ok).toBe(
      false,
    );
    const duplicate = await createPurpose(validPurpose, admin);
    expect(duplicate).toEqual({
      ok: false,
      error: {
        code: 'invalid_field',
        field: 'key',
        message: 'A purpose with the key "spring-offers" already exists',
        fieldErrors: { key: 'A purpose with the key "spring-offers" already exists' },
      },
    });
    expect(await purposeCount()).toBe(before);
  });

  it('edits a purpose and may change its basis until the ledger holds an event for it, then refuses', async () => {
    const edited = await updatePurpose(
      { ...validPurpose, name: 'Spring specials', legalBasis: 'legitimate-interests', retentionDays: 400 },
      admin,
    );
    expect(edited).toEqual({ ok: true, value: { changed: ['name', 'legalBasis', 'retentionDays'] } });

    await recordConsent({
      customerId: customerIds[0],
      purposeKey: 'spring-offers',
      action: 'object',
      source: 'staff',
      evidence: { note: 'test' },
    });

    const refused = await updatePurpose(
      { ...validPurpose, name: 'Spring specials', legalBasis: 'consent', retentionDays: 400 },
      admin,
    );
    expect(refused.ok).toBe(false);
    if (!refused.ok)
      expect(refused.error.fieldErrors.legalBasis).toMatch(/cannot change: consent records already exist/);
    const [view] = await listPurposesOverview();
    expect(view).toMatchObject({
      name: 'Spring specials',
      legalBasis: 'legitimate-interests',
      retentionDays: 400,
    });

    // Other fields still change while the basis stays.
    expect(
      await updatePurpose(
        {
          ...validPurpose,
          legalBasis: 'legitimate-interests',
          retentionDays: 400,
          retentionDuty: 'Invoices 10 years',
        },
        admin,
      ),
    ).toEqual({
      ok: true,
      value: { changed: ['name', 'retentionDuty'] },
    });
    expect(await auditActions(view.id)).toEqual(['purpose.created', 'purpose.updated', 'purpose.updated']);
  });

  it('adds themes with keys unique per purpose, and renames them keeping the key', async () => {
    await createPurpose({ ...validPurpose, key: 'second' }, admin);
    expect(
      await addTheme({ purposeKey: 'spring-offers', key: 'garden', name: 'Garden' }, admin),
    ).toMatchObject({ ok: true });
    // The same key under another purpose is fine; twice under one purpose is not.
    expect(await addTheme({ purposeKey: 'second', key: 'garden', name: 'Garden' }, admin)).toMatchObject({
      ok: true,
    });
    const duplicate = await addTheme(
      { purposeKey: 'spring-offers', key: 'garden', name: 'Garden again' },
      admin,
    );
    expect(duplicate.ok === false && duplicate.error.fieldErrors.key).toMatch(
      /already has a theme with the key "garden"/,
    );
    expect(await addTheme({ purposeKey: 'nope', key: 'garden', name: 'Garden' }, admin)).toMatchObject({
      ok: false,
      error: { fieldErrors: { form: expect.any(String) } },
    });

    expect(
      await renameTheme(
        { purposeKey: 'spring-offers', key: 'garden', name: 'Garden & balcony', description: 'Plants' },
        admin,
      ),
    ).toMatchObject({ ok: true });
    const views = await listPurposesOverview();
    expect(views.find((v) => v.key === 'spring-offers')?.themes).toMatchObject([
      { key: 'garden', name: 'Garden & balcony', description: 'Plants' },
    ]);
    expect((await auditActions(views[0].id)).slice(-2)).toEqual(['theme.created', 'theme.renamed']);
  });

  it('publishes notice versions that increment per purpose; older grants stop counting when fresh consent is required', async () => {
    const v1 = await publishPurposeNotice(
      { purposeKey: 'second', en: 'First text', de: 'Erster Text' },
      admin,
    );
    expect(v1).toEqual({ ok: true, value: { version: 1, asked: 0 } });
    const v2 = await publishPurposeNotice({ purposeKey: 'second', en: 'Second text' }, admin);
    expect(v2).toEqual({ ok: true, value: { version: 2, asked: 0 } });
    const [, second] = await listPurposesOverview();
    expect(currentNoticeVersions(second)).toEqual({ en: 2, de: 1 });
    expect(second.notices.map((n) => [n.version, n.locale])).toEqual([
      [2, 'en'],
      [1, 'de'],
      [1, 'en'],
    ]);
    expect(second.notices[0].textHash).toMatch(/^[0-9a-f]{64}$/);

    const noEnglish = await publishPurposeNotice(
      { purposeKey: 'second', en: '  ', de: 'Nur Deutsch' },
      admin,
    );
    expect(noEnglish).toMatchObject({
      ok: false,
      error: { fieldErrors: { en: 'The English text is required' } },
    });
    const askWithoutReconsent = await publishPurposeNotice(
      { purposeKey: 'second', en: 'x', askAgain: true },
      admin,
    );
    expect(askWithoutReconsent).toMatchObject({
      ok: false,
      error: { fieldErrors: { askAgain: expect.any(String) } },
    });

    // A grant under v2, then v3 requires fresh consent: the grant no longer allows contact.
    const customer = { id: customerIds[1] };
    await recordConsent({
      customerId: customer.id,
      purposeKey: 'second',
      action: 'grant',
      source: 'staff',
      evidence: { note: 'test' },
    });
    expect(
      (await checkContactAllowed(db.handle().db, { customerId: customer.id, purposeKey: 'second' })).allowed,
    ).toBe(true);
    const v3 = await publishPurposeNotice(
      { purposeKey: 'second', en: 'Third text', requiresReconsent: true, askAgain: true },
      admin,
    );
    expect(v3).toEqual({ ok: true, value: { version: 3, asked: 1 } });
    expect(
      (await checkContactAllowed(db.handle().db, { customerId: customer.id, purposeKey: 'second' })).allowed,
    ).toBe(false);
    expect(await auditActions(second.id)).toContain('notice.published');
  });
});
