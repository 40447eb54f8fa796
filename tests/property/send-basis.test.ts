import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { sqlAll, writeTransaction } from '@/db/client';
import { enrollCustomer } from '@/lib/executor/lifecycle';
import {
  insertFixtureCustomers,
  publishFixtureJourney,
  runUntilIdle,
  seedDemoPurposes,
} from '@/tests/fixtures/executor';
import type { JourneyGraph } from '@/lib/journey';
import { dispatchDueOutbox } from '@/lib/outbox/dispatcher';
import { liftContactBlock, setContactBlock } from '@/lib/privacy/blocks';
import { eraseCustomer } from '@/lib/privacy/forget';
import { recordConsentEvent } from '@/lib/privacy/ledger';
import { publishNotice } from '@/lib/privacy/notices';
import { useTempDatabase } from '@/tests/helpers/db';

/**
 * Property: whatever journeys, consent histories, blocks, notice changes and erasures happen, and
 * in whatever order the executor and the dispatcher run between them, no marketing mail leaves
 * without a valid basis at the moment it is sent, judged by an independent model of the rules
 * (not by the code under test), and every message that is skipped or cancelled says why.
 * Real SQLite database, real executor and dispatcher (built-in outbox), no mocks.
 */
const db = useTempDatabase({ store: 'sqlite' });
const PURPOSES = ['newsletter', 'personalised-offers'] as const;
type Purpose = (typeof PURPOSES)[number];
const ACTIONS = ['request', 'grant', 'withdraw', 'object', 'expire'] as const;

type Op =
  | { kind: 'consent'; customer: number; purpose: Purpose; action: (typeof ACTIONS)[number] }
  | { kind: 'block'; customer: number }
  | { kind: 'lift'; customer: number }
  | { kind: 'notice'; purpose: Purpose; reconsent: boolean }
  | { kind: 'erase'; customer: number }
  | { kind: 'enroll'; customer: number }
  | { kind: 'step' }
  | { kind: 'dispatch' };

const CUSTOMERS = 3;
const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('consent' as const),
      customer: fc.nat(CUSTOMERS - 1),
      purpose: fc.constantFrom(...PURPOSES),
      action: fc.constantFrom(...ACTIONS),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('block' as const), customer: fc.nat(CUSTOMERS - 1) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('lift' as const), customer: fc.nat(CUSTOMERS - 1) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('notice' as const),
      purpose: fc.constantFrom(...PURPOSES),
      reconsent: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('erase' as const), customer: fc.nat(CUSTOMERS - 1) }),
  },
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant('enroll' as const), customer: fc.nat(CUSTOMERS - 1) }),
  },
  { weight: 3, arbitrary: fc.constant({ kind: 'step' as const }) },
  { weight: 3, arbitrary: fc.constant({ kind: 'dispatch' as const }) },
);
/** A journey: a chain of one to three send steps, each for one of the purposes. */
const journeyArb = fc.array(fc.constantFrom(...PURPOSES), { minLength: 1, maxLength: 3 });

function chainJourney(purposes: Purpose[]): JourneyGraph {
  const nodes: JourneyGraph['nodes'] = [
    {
      id: 'entry',
      type: 'entry',
      position: { x: 0, y: 0 },
      config: { mode: 'event', eventName: 'never', reentry: { policy: 'always' }, goals: [] },
    } as JourneyGraph['nodes'][number],
  ];
  const edges: JourneyGraph['edges'] = [];
  let previous = 'entry';
  let handles = ['next'];
  purposes.forEach((purpose, i) => {
    const id = `send${i}`;
    nodes.push({
      id,
      type: 'send-message',
      position: { x: 0, y: 100 * (i + 1) },
      config: { purpose, channel: 'email', subject: `Step ${i}`, body: 'Hello {{firstName}}' },
    } as JourneyGraph['nodes'][number]);
    for (const handle of handles)
      edges.push({ id: `${previous}-${handle}-${id}`, source: previous, sourceHandle: handle, target: id });
    previous = id;
    handles = ['sent', 'skipped'];
  });
  nodes.push({
    id: 'exit',
    type: 'exit',
    position: { x: 0, y: 500 },
    config: { reason: 'done' },
  } as JourneyGraph['nodes'][number]);
  for (const handle of handles)
    edges.push({ id: `${previous}-${handle}-exit`, source: previous, sourceHandle: handle, target: 'exit' });
  return { nodes, edges };
}

/** The rules, modelled independently: consent granted under the notice still in force, no block, not erased. */
class Model {
  consent = new Map<string, { state: string; noticeVersion: number }>();
  blocked = new Set<number>();
  erased = new Set<number>();
  constructor(public notices: Record<Purpose, { version: number; reconsentFrom: number }>) {}
  allows(customer: number, purpose: Purpose): boolean {
    const c = this.consent.get(`${customer}|${purpose}`);
    return (
      !this.erased.has(customer) &&
      !this.blocked.has(customer) &&
      c?.state === 'granted' &&
      c.noticeVersion >= this.notices[purpose].reconsentFrom
    );
  }
}

let round = 0;
let noticeState: Record<Purpose, { version: number; reconsentFrom: number }>;

beforeAll(async () => {
  await seedDemoPurposes();
  const versions = await sqlAll<{ key: Purpose; version: number }>(
    db.handle().db,
    "SELECT p.key, max(n.version) AS version FROM notices n JOIN purposes p ON p.id = n.purpose_id WHERE p.key IN ('newsletter', 'personalised-offers') GROUP BY p.key",
  );
  noticeState = Object.fromEntries(
    PURPOSES.map((p) => [
      p,
      { version: Number(versions.find((v) => v.key === p)?.version ?? 0), reconsentFrom: 0 },
    ]),
  ) as typeof noticeState;
});

async function runScenario(journey: Purpose[], ops: Op[]): Promise<void> {
  round++;
  const { firstId } = await writeTransaction(
    async (tx) =>
      await insertFixtureCustomers(tx, CUSTOMERS, { startIndex: round * 10, emailDomain: 'prop.test' }),
  );
  const ids = Array.from({ length: CUSTOMERS }, (_, i) => firstId + i);
  const { journeyId } = await writeTransaction(
    async (tx) => await publishFixtureJourney(tx, `property ${round}`, chainJourney(journey)),
  );
  const model = new Model(noticeState);
  const blocks = new Map<number, number>();
  const seenSent = new Set<number>();

  for (const op of ops) {
    switch (op.kind) {
      case 'consent': {
        const customerId = ids[op.customer]!;
        if (model.erased.has(op.customer)) break;
        await writeTransaction(
          async (tx) =>
            await recordConsentEvent(tx, {
              customerId,
              purposeKey: op.purpose,
              action: op.action,
              source: 'api',
              evidence: { property: true },
            }),
        );
        const key = `${op.customer}|${op.purpose}`;
        const states = {
          request: 'pending',
          grant: 'granted',
          withdraw: 'withdrawn',
          object: 'objected',
          expire: 'expired',
        };
        model.consent.set(key, {
          state: states[op.action],
          noticeVersion:
            op.action === 'grant'
              ? model.notices[op.purpose].version
              : (model.consent.get(key)?.noticeVersion ?? 0),
        });
        break;
      }
      case 'block': {
        if (model.erased.has(op.customer) || blocks.has(op.customer)) break;
        const set = await writeTransaction(
          async (tx) =>
            await setContactBlock(tx, {
              customerId: ids[op.customer]!,
              scope: 'all',
              reason: 'customer-request',
              evidence: 'property test',
              setBy: 'system:property',
            }),
        );
        if (set.ok) {
          blocks.set(op.customer, set.value.blockId);
          model.blocked.add(op.customer);
        }
        break;
      }
      case 'lift': {
        const blockId = blocks.get(op.customer);
        if (blockId === undefined) break;
        await writeTransaction(
          async (tx) =>
            await liftContactBlock(tx, blockId, { liftedBy: 'system:property', reason: 'property test' }),
        );
        blocks.delete(op.customer);
        model.blocked.delete(op.customer);
        break;
      }
      case 'notice': {
        const published = await writeTransaction(
          async (tx) =>
            await publishNotice(tx, {
              purposeKey: op.purpose,
              texts: { en: `Notice ${op.purpose} round ${round} ${Math.random()}` },
              requiresReconsent: op.reconsent,
            }),
        );
        if (!published.ok) throw new Error(published.reason);
        model.notices[op.purpose].version = published.version;
        if (op.reconsent) model.notices[op.purpose].reconsentFrom = published.version;
        break;
      }
      case 'erase': {
        if (model.erased.has(op.customer)) break;
        const result = await eraseCustomer(ids[op.customer]!);
        if (result.ok) model.erased.add(op.customer);
        break;
      }
      case 'enroll': {
        if (model.erased.has(op.customer)) break;
        // Refused while already in the journey: that is part of the property too.
        await enrollCustomer(journeyId, ids[op.customer]!);
        break;
      }
      case 'step':
        await runUntilIdle(Date.now() + 1000);
        break;
      case 'dispatch': {
        await dispatchDueOutbox({ workerId: 'property', now: () => Date.now() + 1000, limit: 200 });
        // Judged right after the send, before anything else can change.
        const sent = await sqlAll<{ id: number; customer_id: number; purpose: Purpose }>(
          db.handle().db,
          `SELECT o.id, o.customer_id, p.key AS purpose FROM outbox o JOIN purposes p ON p.id = o.purpose_id
           WHERE o.status = 'sent' AND o.category = 'marketing' AND o.customer_id IN (${ids.join(',')})`,
        );
        for (const mail of sent) {
          if (seenSent.has(mail.id)) continue;
          seenSent.add(mail.id);
          const customer = ids.indexOf(mail.customer_id);
          expect(
            model.allows(customer, mail.purpose),
            `mail ${mail.id} to customer ${customer} for ${mail.purpose}`,
          ).toBe(true);
        }
        break;
      }
    }
  }
  // Every message not sent says why.
  const unexplained = await sqlAll(
    db.handle().db,
    `SELECT id, status FROM outbox WHERE customer_id IN (${ids.join(',')})
       AND ((status = 'cancelled' AND coalesce(cancel_reason, '') = '') OR (status = 'failed' AND coalesce(last_error, '') = ''))`,
  );
  expect(unexplained).toEqual([]);
  const silentSkips = await sqlAll(
    db.handle().db,
    `SELECT id, outcome FROM step_events WHERE journey_id = ? AND step_type = 'send-message' AND outcome <> 'sent'
       AND trim(reason) = ''`,
    [journeyId],
  );
  expect(silentSkips).toEqual([]);
}

describe('property: no mail without a valid basis at the moment of sending', () => {
  it('holds for random journeys, consent histories, blocks, notice changes and erasures', async () => {
    await fc.assert(
      fc.asyncProperty(journeyArb, fc.array(opArb, { minLength: 5, maxLength: 30 }), async (journey, ops) => {
        await runScenario(journey, [...ops, { kind: 'step' }, { kind: 'dispatch' }]);
      }),
      { numRuns: 30, seed: Number(process.env.FC_SEED) || undefined },
    );
  }, 240_000);
});
