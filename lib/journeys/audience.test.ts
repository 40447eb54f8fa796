import { beforeAll, describe, expect, it } from 'vitest';
import { writeTransaction } from '@/db/client';
import { useTempDatabase } from '@/tests/helpers/db';
import { insertFixtureCustomers, recordTestConsent, seedDemoPurposes } from '@/tests/fixtures/executor';
import { setContactBlock } from '@/lib/privacy/blocks';
import { journeyTemplate } from '@/lib/journey/templates';
import { sampleSimpleJourney } from '@/lib/journey';
import { contactPurposesOf, entryAudience } from './audience';

useTempDatabase();

let consenting: { firstId: number; lastId: number };

beforeAll(async () => {
  await seedDemoPurposes();
  // 4 customers who agreed to the newsletter (through the ledger), 3 who never were asked.
  consenting = await writeTransaction((db) => insertFixtureCustomers(db, 4));
  await writeTransaction((db) => insertFixtureCustomers(db, 3, { startIndex: 10 }));
  for (let id = consenting.firstId; id <= consenting.lastId; id++) await recordTestConsent(id, 'newsletter');
  // One of them objected to all contact by email since: matches, may not be contacted.
  await writeTransaction((db) =>
    setContactBlock(db, {
      customerId: consenting.lastId,
      scope: 'channel',
      channel: 'email',
      reason: 'customer-request',
      evidence: 'asked on the phone',
      setBy: 'user:1',
    }),
  );
});

describe('entry audience before publishing', () => {
  it('counts who matches the target group now and who of them may be contacted for the journey purposes', async () => {
    const graph = journeyTemplate('win-back')!.build({ purpose: 'newsletter' });
    expect(contactPurposesOf(graph)).toEqual(['newsletter']);
    expect(await entryAudience(graph)).toEqual({
      mode: 'segment',
      matching: 4,
      contactable: 3,
      purposes: ['newsletter'],
      capped: false,
    });
  });

  it('an empty filter matches everyone; a journey that writes for another purpose counts against that one', async () => {
    const graph = sampleSimpleJourney('personalised-offers');
    const entry = graph.nodes.find((n) => n.type === 'entry')!;
    entry.config = { ...entry.config, segment: { match: 'all', conditions: [] } } as typeof entry.config;
    expect(await entryAudience(graph)).toMatchObject({ matching: 7, contactable: 0 });
  });

  it('an event entry counts nobody in advance; a journey that writes to no one says so', async () => {
    expect(await entryAudience(journeyTemplate('welcome')!.build({ purpose: 'newsletter' }))).toEqual({
      mode: 'event',
      eventName: 'signed-up',
    });
    const privacy = journeyTemplate('privacy-request')!.build({ purpose: '' });
    expect(contactPurposesOf(privacy)).toEqual([]);
    const entry = privacy.nodes.find((n) => n.type === 'entry')!;
    entry.config = {
      mode: 'segment',
      segment: { match: 'all', conditions: [] },
      reentry: { policy: 'never' },
      goals: [],
    };
    expect(await entryAudience(privacy)).toMatchObject({ mode: 'segment', matching: 7, contactable: null });
    expect(await entryAudience({ nodes: [], edges: [] })).toEqual({ mode: 'invalid' });
  });
});
