import { describe, expect, it } from 'vitest';
import { draft, link, purposeCatalog, samplePurposes, step } from '@/tests/fixtures/journey';
import { plainMessage } from '@/lib/messages/content';
import { dataUseByPurpose, describeRead, recordMentions } from './processing';
import { sampleJourneyUsingEveryStep } from './samples';
import { validateJourney, type ValidationContext } from './validate';

const tier = { kind: 'attribute', key: 'loyaltyTier', op: 'eq', value: 'gold' } as const;

/** entry → condition (on loyaltyTier) → send for newsletter; the condition's "no" → exit. */
function tieredNewsletter(subject = 'Hello {{ firstName | default: "there" }}') {
  return draft(
    [
      step('entry', 'entry', { mode: 'event', eventName: 'signed-up' }),
      step('gold', 'condition', { rule: { match: 'all', conditions: [tier] } }),
      step('send', 'send-message', {
        purpose: 'newsletter',
        content: plainMessage(subject, 'Your points: {{ points }}. {{ unsubscribe_url }}'),
      }),
      step('done', 'exit'),
    ],
    [
      link('entry', 'next', 'gold'),
      link('gold', 'yes', 'send'),
      link('gold', 'no', 'done'),
      link('send', 'sent', 'done'),
    ],
  );
}

function withRecords(records: Record<string, string>): ValidationContext {
  return {
    purposes: purposeCatalog.purposes.map((purpose) => ({ ...purpose, record: records[purpose.key] ?? '' })),
  };
}

describe('dataUseByPurpose', () => {
  it('collects what is read at or before the steps for a purpose: conditions, the entry, message variables', () => {
    const [use] = dataUseByPurpose(tieredNewsletter());
    expect(use?.purpose).toBe('newsletter');
    expect(use?.nodeIds).toEqual(['send']);
    expect(use?.mails).toBe(true);
    expect(use?.reads.map(({ read }) => describeRead(read))).toEqual([
      'event “signed-up”',
      'attribute “loyaltyTier”',
      'email address',
      'consent state (newsletter)',
      'contact blocks',
      'first name',
      'attribute “points”',
    ]);
    expect(use?.reads.find(({ read }) => read.kind === 'attribute')?.nodeIds).toEqual(['gold']);
  });

  it('leaves out a branch that never reaches a step for the purpose, and invalid configs', () => {
    const graph = tieredNewsletter();
    graph.nodes.push(
      step('after', 'condition', {
        rule: { match: 'all', conditions: [{ kind: 'attribute', key: 'erasureRequested', op: 'exists' }] },
      }),
      { ...step('broken', 'condition'), config: { rule: 'not a rule' } },
    );
    graph.edges.push(link('send', 'skipped', 'after'), link('broken', 'yes', 'send'));
    const reads = dataUseByPurpose(graph)[0]!.reads.map(({ read }) => describeRead(read));
    expect(reads).toContain('attribute “loyaltyTier”');
    expect(reads).not.toContain('attribute “erasureRequested”');
  });

  it('gives each step type its own reads: transfers, gates, waits, blocks; recipients per purpose', () => {
    const uses = dataUseByPurpose(sampleJourneyUsingEveryStep(samplePurposes));
    const byPurpose = new Map(uses.map((use) => [use.purpose, use]));
    expect([...byPurpose.keys()].sort()).toEqual(['newsletter', 'offers', 'partner']);
    const partner = byPurpose.get('partner')!;
    expect(partner.recipients).toEqual(['Acme Ltd']);
    expect(partner.mails).toBe(false);
    const partnerReads = partner.reads.map(({ read }) => describeRead(read));
    expect(partnerReads).toContain('data package (profile, consents, journeys, messages)');
    expect(partnerReads).toContain('event “data-requested”');
    // The erasure branch (condition → block → forget) is no processing for the partner.
    expect(partnerReads).not.toContain('attribute “erasureRequested”');
    expect(byPurpose.get('newsletter')!.reads.map(({ read }) => describeRead(read))).toContain('time zone');
  });

  it('treats the fields of a message as fields and everything else it reads as attributes', () => {
    const graph = tieredNewsletter('{{ name }} in {{ city }}, {{ purpose.name }} / {{ journey.name }}');
    const reads = dataUseByPurpose(graph)[0]!.reads.map(({ read }) => describeRead(read));
    expect(reads).toEqual(expect.arrayContaining(['name', 'attribute “city”', 'attribute “points”']));
    expect(reads.join()).not.toMatch(/purpose”|journey”/);
  });
});

describe('recordMentions', () => {
  it('finds whole words whatever the case and joining, and nothing else', () => {
    expect(recordMentions('We use your Loyalty tier to choose offers.', 'loyaltyTier')).toBe(true);
    expect(recordMentions('loyalty_tier', 'loyaltyTier')).toBe(true);
    expect(recordMentions('Ihr Land (country) bestimmt die Sprache.', 'country')).toBe(true);
    expect(recordMentions('We use your loyalty card.', 'loyaltyTier')).toBe(false);
    expect(recordMentions('countryside walks', 'country')).toBe(false);
    expect(recordMentions('anything', '')).toBe(false);
  });
});

describe('the record-of-processing rule', () => {
  const codes = (ctx: ValidationContext) =>
    validateJourney(tieredNewsletter(), ctx)
      .warnings.filter((w) => w.code.startsWith('purpose-record'))
      .map((w) => [w.code, w.nodeId, w.message]);

  it('warns about each attribute read for a purpose that its record does not name, on the step reading it', () => {
    const warnings = codes(withRecords({ newsletter: 'A monthly mail with your points balance.' }));
    expect(warnings).toEqual([
      [
        'purpose-record-unmentioned',
        'gold',
        'Condition “gold” reads the attribute “loyaltyTier” for the purpose “newsletter”, whose description and notice do not mention it. Add it to the purpose so its record of processing covers it.',
      ],
    ]);
    const result = validateJourney(tieredNewsletter(), withRecords({ newsletter: 'x' }));
    expect(result.ok).toBe(true);
  });

  it('is quiet when the record names every attribute, and warns once when the purpose has no record text', () => {
    expect(codes(withRecords({ newsletter: 'Offers by loyalty tier, with your points.' }))).toEqual([]);
    const missing = codes(withRecords({ newsletter: '  ' }));
    expect(missing).toHaveLength(1);
    expect(missing[0]?.[0]).toBe('purpose-record-missing');
    expect(missing[0]?.[1]).toBe('send');
  });

  it('is not checked when the caller does not know the record texts (the canvas)', () => {
    expect(codes(purposeCatalog)).toEqual([]);
  });
});
