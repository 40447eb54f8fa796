import { describe, expect, it } from 'vitest';
import type { PurposeInfo } from '@/db/store/dashboard';
import { sampleJourneyUsingEveryStep, sampleSimpleJourney } from '@/lib/journey/samples';
import { draft, link, step } from '@/tests/fixtures/journey';
import { buildProcessingRecords, technicalMeasures, type RecordInput } from './records';

function purpose(key: string, retentionDays: number, extra: Partial<PurposeInfo> = {}): PurposeInfo {
  return {
    id: retentionDays,
    key,
    name: key,
    description: `About ${key}`,
    legalBasis: 'consent',
    retentionDays,
    retentionDuty: null,
    recipients: [],
    noticeVersion: 1,
    themes: [],
    ...extra,
  };
}

const purposes = [
  purpose('newsletter', 730),
  purpose('offers', 365),
  purpose('partner', 90, { recipients: [{ key: 'Acme Ltd', name: 'Acme Ltd' }] }),
  purpose('unused', 30),
];

const input: RecordInput = {
  purposes,
  journeys: [
    {
      id: 1,
      name: 'Welcome',
      status: 'live',
      version: { kind: 'live', number: 4 },
      graph: sampleJourneyUsingEveryStep({
        newsletter: 'newsletter',
        offers: 'offers',
        partner: 'partner',
        partnerRecipient: 'Acme Ltd',
      }),
    },
    {
      id: 2,
      name: 'Gold offers',
      status: 'draft',
      version: { kind: 'draft' },
      graph: draft(
        [
          step('entry', 'entry', {
            mode: 'segment',
            segment: {
              match: 'all',
              conditions: [{ kind: 'attribute', key: 'loyaltyTier', op: 'eq', value: 'gold' }],
            },
          }),
          step('gate', 'consent-gate', { purpose: 'offers' }),
        ],
        [link('entry', 'next', 'gate')],
      ),
    },
  ],
  webhooks: [
    { name: 'CRM', url: 'https://user:secret@crm.example.com/hook?token=abc', events: ['consent.changed'] },
  ],
  mailProvider: 'smtp.example.com',
  technicalMeasures: ['ledger', 'database'],
};

describe('buildProcessingRecords', () => {
  const records = new Map(buildProcessingRecords(input).map((r) => [r.purposeKey, r]));

  it('names the journeys per purpose, marking drafts, and what only a draft reads', () => {
    const offers = records.get('offers')!;
    expect(offers.journeys).toBe('Welcome (live v4); Gold offers (draft)');
    expect(offers.dataCategories).toContain('attribute “loyaltyTier” (draft)');
    expect(offers.dataCategories).toContain('consent state (offers)');
    expect(offers.dataCategories).not.toContain('consent state (offers) (draft)');
    expect(records.get('newsletter')!.journeys).toBe('Welcome (live v4)');
    expect(records.get('unused')).toMatchObject({ journeys: '', dataCategories: '' });
  });

  it('lists recipients: transfer partners, webhook hosts (never their credentials), the mail provider for mailing purposes', () => {
    const partner = records.get('partner')!.recipients;
    expect(partner).toBe('Acme Ltd (transfer step); webhook “CRM” (crm.example.com: consent.changed)');
    expect(records.get('newsletter')!.recipients).toContain('mail provider smtp.example.com (processor)');
    for (const record of records.values()) expect(record.recipients).not.toMatch(/secret|token|user/);
  });

  it('states retention with the journey purge (the longest retention of the live journey) and the measures', () => {
    expect(records.get('offers')!.retention).toBe(
      '365 days; journey positions and history purged 730 days after the journey is archived; sent mail: content emptied 30 days after delivery (legal-duty purposes kept)',
    );
    expect(records.get('unused')!.retention).toBe('30 days');
    expect(records.get('unused')!.technicalMeasures).toBe('ledger; database');
  });

  it('reads a draft of a paused journey as such, and leaves a purpose without journeys "internal only"', () => {
    const paused = buildProcessingRecords({
      ...input,
      webhooks: [],
      journeys: [
        {
          id: 3,
          name: 'Simple',
          status: 'paused',
          version: { kind: 'live', number: 2 },
          graph: sampleSimpleJourney('newsletter'),
        },
      ],
    });
    expect(paused[0]!.journeys).toBe('Simple (paused v2)');
    expect(paused[3]!.recipients).toBe('none (internal only)');
  });
});

describe('technicalMeasures', () => {
  it('states the ledger, the store and how mail travels, from the URLs without their credentials', () => {
    const sqlite = technicalMeasures({ databaseUrl: 'file:./data/tarmo.db' });
    expect(sqlite.join('\n')).toMatch(/hash-chained/);
    expect(sqlite.join('\n')).toMatch(/secure_delete/);
    expect(sqlite.at(-1)).toBe('mail stays in the built-in outbox (no mail provider)');
    const pg = technicalMeasures({
      databaseUrl: 'postgres://tarmo:pw@db.internal/tarmo?sslmode=verify-full',
      smtpUrl: 'smtps://user:pass@smtp.example.com',
    });
    expect(pg).toContain('PostgreSQL connection encrypted (TLS, sslmode=verify-full)');
    expect(pg).toContain('mail sent over TLS (smtps)');
    expect(pg.join('\n')).not.toMatch(/pw|pass|user/);
    expect(technicalMeasures({ databaseUrl: 'postgres://db/tarmo' })).toContain(
      'PostgreSQL connection without required TLS (sslmode not set to require)',
    );
    expect(technicalMeasures({ databaseUrl: 'file:x', smtpUrl: 'smtp://h:587?requireTLS=true' })).toContain(
      'mail sent with STARTTLS required',
    );
  });
});
