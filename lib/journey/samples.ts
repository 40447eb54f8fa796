import type { JourneyEdge, JourneyGraph, JourneyNode } from './graph';

/** Sample journeys for the demo workspace seed and for tests; both pass validateJourney. */

const COLUMN = 320;
const ROW = 160;

function at(column: number, row: number) {
  return { x: column * COLUMN, y: row * ROW };
}

function edge(source: string, sourceHandle: string, target: string): JourneyEdge {
  return { id: `${source}-${sourceHandle}-${target}`, source, sourceHandle, target };
}

export interface SamplePurposeKeys {
  newsletter: string;
  offers: string;
  partner: string;
  /** Must be listed among the partner purpose's recipients. */
  partnerRecipient: string;
}

/**
 * A journey touching all 13 step types: sign-up → block check → double opt-in →
 * welcome mail → wait → offers gate → split test of two offers → data request branch (reference,
 * transfer to customer and partner) → erasure branch (block, forget).
 */
export function sampleJourneyUsingEveryStep(purposes: SamplePurposeKeys): JourneyGraph {
  const nodes: JourneyNode[] = [
    {
      id: 'entry',
      type: 'entry',
      title: 'Signed up',
      position: at(0, 0),
      config: {
        mode: 'event',
        eventName: 'signed-up',
        reentry: { policy: 'never' },
        goals: [{ eventName: 'unsubscribed' }],
      },
    },
    {
      id: 'block-check',
      type: 'advertising-block',
      title: 'Email blocked?',
      position: at(0, 1),
      config: { scope: 'channel', channel: 'email' },
    },
    {
      id: 'exit-blocked',
      type: 'exit',
      title: 'Blocked',
      position: at(-1, 2),
      config: { reason: 'Contact is blocked' },
    },
    {
      id: 'opt-in',
      type: 'double-opt-in',
      title: 'Confirm newsletter',
      position: at(0, 2),
      config: { purpose: purposes.newsletter, themes: [], expiresHours: 72 },
    },
    {
      id: 'exit-unconfirmed',
      type: 'exit',
      title: 'Not confirmed',
      position: at(-1, 3),
      config: { reason: 'Opt-in link expired' },
    },
    {
      id: 'welcome',
      type: 'send-message',
      title: 'Welcome',
      position: at(0, 3),
      config: {
        purpose: purposes.newsletter,
        channel: 'email',
        subject: 'Welcome, {{firstName}}',
        body: 'Hello {{firstName}},\n\nthanks for confirming. Your first newsletter arrives next week.',
        quietHours: { start: '21:00', end: '08:00' },
      },
    },
    {
      id: 'pause',
      type: 'wait',
      title: 'Three days',
      position: at(0, 4),
      config: { mode: 'duration', minutes: 3 * 24 * 60 },
    },
    {
      id: 'offers-gate',
      type: 'consent-gate',
      title: 'Offers consent?',
      position: at(0, 5),
      config: { purpose: purposes.offers, timeoutHours: 168 },
    },
    {
      id: 'offer-test',
      type: 'split',
      title: 'Which offer?',
      position: at(-1, 6),
      config: { weights: { branches: [50, 50], holdout: 0 } },
    },
    {
      id: 'offer',
      type: 'send-message',
      title: 'First offer',
      position: at(-2, 7),
      config: {
        purpose: purposes.offers,
        channel: 'email',
        subject: 'A welcome offer for you',
        body: 'Hello {{firstName}}, here is 10% off your next order.',
        frequencyCap: { max: 2, perDays: 7 },
      },
    },
    {
      id: 'offer-b',
      type: 'send-message',
      title: 'Free delivery offer',
      position: at(-1, 7),
      config: {
        purpose: purposes.offers,
        channel: 'email',
        subject: 'Free delivery for you',
        body: 'Hello {{firstName}}, your next order ships free.',
        frequencyCap: { max: 2, perDays: 7 },
      },
    },
    {
      id: 'asked-for-data',
      type: 'condition',
      title: 'Asked for their data?',
      position: at(0, 7),
      config: {
        rule: { match: 'any', conditions: [{ kind: 'event', name: 'data-requested', withinDays: 30 }] },
      },
    },
    {
      id: 'compile',
      type: 'reference',
      title: 'Data package',
      position: at(-1, 8),
      config: { formats: ['json', 'csv'] },
    },
    {
      id: 'to-customer',
      type: 'transfer',
      title: 'Send to customer',
      position: at(-1, 9),
      config: { to: 'customer' },
    },
    {
      id: 'partner-gate',
      type: 'consent-gate',
      title: 'Partner consent?',
      position: at(-1, 10),
      config: { purpose: purposes.partner, timeoutHours: 0 },
    },
    {
      id: 'to-partner',
      type: 'transfer',
      title: 'Send to partner',
      position: at(-1, 11),
      config: { to: 'recipient', recipient: purposes.partnerRecipient, purpose: purposes.partner },
    },
    { id: 'exit-done', type: 'exit', title: 'Done', position: at(0, 12), config: {} },
    {
      id: 'wants-erasure',
      type: 'condition',
      title: 'Asked to be forgotten?',
      position: at(1, 8),
      config: {
        rule: {
          match: 'all',
          conditions: [{ kind: 'attribute', key: 'erasureRequested', op: 'eq', value: true }],
        },
      },
    },
    {
      id: 'block',
      type: 'set-advertising-block',
      title: 'Block all contact',
      position: at(1, 9),
      config: {
        scope: 'all',
        reason: 'customer-request',
        evidence: 'Customer asked to be forgotten (sample journey).',
      },
    },
    {
      id: 'forget',
      type: 'forget',
      title: 'Forget',
      position: at(1, 10),
      config: { notifyConnectedSystems: true },
    },
  ];
  const edges: JourneyEdge[] = [
    edge('entry', 'next', 'block-check'),
    edge('block-check', 'blocked', 'exit-blocked'),
    edge('block-check', 'clear', 'opt-in'),
    edge('opt-in', 'confirmed', 'welcome'),
    edge('opt-in', 'expired', 'exit-unconfirmed'),
    edge('welcome', 'sent', 'pause'),
    edge('pause', 'next', 'offers-gate'),
    edge('offers-gate', 'granted', 'offer-test'),
    edge('offer-test', 'a', 'offer'),
    edge('offer-test', 'b', 'offer-b'),
    edge('offers-gate', 'not-granted', 'asked-for-data'),
    edge('offers-gate', 'timed-out', 'asked-for-data'),
    edge('offer', 'sent', 'asked-for-data'),
    edge('offer', 'skipped', 'asked-for-data'),
    edge('offer-b', 'sent', 'asked-for-data'),
    edge('offer-b', 'skipped', 'asked-for-data'),
    edge('asked-for-data', 'yes', 'compile'),
    edge('asked-for-data', 'no', 'wants-erasure'),
    edge('compile', 'next', 'to-customer'),
    edge('to-customer', 'delivered', 'partner-gate'),
    edge('to-customer', 'refused', 'exit-done'),
    edge('partner-gate', 'granted', 'to-partner'),
    edge('partner-gate', 'not-granted', 'exit-done'),
    edge('to-partner', 'delivered', 'exit-done'),
    edge('to-partner', 'refused', 'exit-done'),
    edge('wants-erasure', 'yes', 'block'),
    edge('wants-erasure', 'no', 'exit-done'),
    edge('block', 'next', 'forget'),
  ];
  return { nodes, edges };
}

/** entry → consent-gate → send-message → wait(0) → condition → exit, for one purpose. */
export function sampleSimpleJourney(purposeKey: string): JourneyGraph {
  const nodes: JourneyNode[] = [
    {
      id: 'entry',
      type: 'entry',
      title: 'Consenting customers',
      position: at(0, 0),
      config: {
        mode: 'segment',
        segment: { match: 'all', conditions: [{ kind: 'consent', purpose: purposeKey, state: 'granted' }] },
        reentry: { policy: 'never' },
        goals: [],
      },
    },
    {
      id: 'gate',
      type: 'consent-gate',
      title: 'Consent?',
      position: at(0, 1),
      config: { purpose: purposeKey, timeoutHours: 0 },
    },
    {
      id: 'send',
      type: 'send-message',
      title: 'Hello',
      position: at(0, 2),
      config: {
        purpose: purposeKey,
        channel: 'email',
        subject: 'Hello {{firstName}}',
        body: 'Hello {{firstName}}, news from us.',
      },
    },
    {
      id: 'wait',
      type: 'wait',
      title: 'No wait',
      position: at(0, 3),
      config: { mode: 'duration', minutes: 0 },
    },
    {
      id: 'opened',
      type: 'condition',
      title: 'Opened?',
      position: at(0, 4),
      config: {
        rule: { match: 'any', conditions: [{ kind: 'event', name: 'email-opened', withinDays: 1 }] },
      },
    },
    { id: 'exit', type: 'exit', title: 'Exit', position: at(0, 5), config: {} },
  ];
  const edges: JourneyEdge[] = [
    edge('entry', 'next', 'gate'),
    edge('gate', 'granted', 'send'),
    edge('send', 'sent', 'wait'),
    edge('wait', 'next', 'opened'),
    edge('opened', 'yes', 'exit'),
    edge('opened', 'no', 'exit'),
  ];
  return { nodes, edges };
}

/**
 * The simple journey with a split test after the entry: branches A and B (45 % each) both go on
 * to the consent gate, the holdout (10 %) leaves at the split. For the executor benchmark.
 */
export function sampleSplitJourney(purposeKey: string): JourneyGraph {
  const simple = sampleSimpleJourney(purposeKey);
  const split: JourneyNode = {
    id: 'split',
    type: 'split',
    title: 'Split test',
    position: at(1, 1),
    config: { weights: { branches: [45, 45], holdout: 10 } },
  };
  return {
    nodes: [...simple.nodes, split],
    edges: [
      edge('entry', 'next', 'split'),
      edge('split', 'a', 'gate'),
      edge('split', 'b', 'gate'),
      ...simple.edges.filter((e) => e.source !== 'entry'),
    ],
  };
}
