import { writeTransaction } from '@/db/client';
import { type ConsentAction } from '@/lib/vocabulary';
import { setContactBlock, liftContactBlock } from '@/lib/privacy/blocks';
import { recordConsentEvent } from '@/lib/privacy/ledger';
import { createPrivacyRequest, extendRequest } from '@/lib/privacy/requests';
import { seededRandom } from './customers';

type SeedCustomer = { id: number; email: string | null };
type SeedPurpose = { id: number; key: string; legalBasis: string };

const DAY = 86_400_000;
const HOUR = 3_600_000;

/** Share of customers (cumulative thresholds) per consent story, for each consent-based purpose. */
const STORIES: Record<string, { story: ConsentAction[]; upTo: number }[]> = {
  newsletter: [
    { story: ['request', 'grant'], upTo: 0.4 },
    { story: ['request'], upTo: 0.5 },
    { story: ['request', 'grant', 'withdraw'], upTo: 0.6 },
    { story: ['request', 'expire'], upTo: 0.66 },
  ],
  'personalised-offers': [
    { story: ['request', 'grant'], upTo: 0.25 },
    { story: ['request'], upTo: 0.3 },
    { story: ['request', 'grant', 'withdraw'], upTo: 0.38 },
    { story: ['request', 'expire'], upTo: 0.42 },
  ],
  'partner-transfer': [
    { story: ['grant'], upTo: 0.1 },
    { story: ['grant', 'withdraw'], upTo: 0.13 },
  ],
};

/**
 * Spreads the demo customers over every consent state through the real ledger (so the chain,
 * the state table and the counters agree and ledger:verify passes), sets a few blocks and opens
 * some privacy requests, one of them overdue. No mail is queued: the pending opt-ins are history.
 */
export async function seedDemoConsents(
  customers: SeedCustomer[],
  purposes: SeedPurpose[],
  now = new Date(),
): Promise<void> {
  const random = seededRandom(7);
  await writeTransaction(async (db) => {
    for (const purpose of purposes) {
      const stories = STORIES[purpose.key];
      for (const customer of customers) {
        const roll = random();
        let at = now.getTime() - Math.floor(20 + random() * 70) * DAY;
        if (stories) {
          const story = stories.find((s) => roll < s.upTo)?.story ?? [];
          for (const action of story) {
            await recordConsentEvent(db, {
              customerId: customer.id,
              purposeId: purpose.id,
              action,
              source: action === 'expire' ? 'system' : roll < 0.2 ? 'import' : 'form',
              evidence: { demo: true, via: action === 'grant' ? 'double-opt-in' : action },
              occurredAt: new Date(at),
            });
            if (purpose.key === 'newsletter' && action === 'grant' && roll < 0.3) {
              for (const theme of roll < 0.15 ? ['recipes', 'new-arrivals'] : ['events']) {
                await recordConsentEvent(db, {
                  customerId: customer.id,
                  purposeId: purpose.id,
                  themeKey: theme,
                  action: 'grant',
                  source: 'form',
                  evidence: { demo: true },
                  occurredAt: new Date(at),
                });
              }
            }
            // A double opt-in ends within its link's life: confirmed within hours, or expired
            // after 72 h; later steps (a withdrawal) come days apart.
            const next = story[story.indexOf(action) + 1];
            const gap = random();
            at +=
              action === 'request' && next === 'grant'
                ? Math.floor(1 + gap * 47) * HOUR
                : action === 'request' && next === 'expire'
                  ? 72 * HOUR
                  : Math.floor(1 + gap * 10) * DAY;
          }
        } else if (purpose.legalBasis === 'legitimate-interests' && roll < 0.05) {
          await recordConsentEvent(db, {
            customerId: customer.id,
            purposeId: purpose.id,
            action: 'object',
            source: 'form',
            evidence: { demo: true, via: 'objection form' },
            occurredAt: new Date(at),
          });
        }
      }
    }

    const pick = (i: number) => customers[i % Math.max(customers.length, 1)];
    const blocks = [
      {
        i: 3,
        scope: 'all' as const,
        reason: 'complaint' as const,
        evidence: 'Complained by phone about too much mail',
      },
      {
        i: 11,
        scope: 'channel' as const,
        channel: 'email' as const,
        reason: 'customer-request' as const,
        evidence: 'Asked at the till not to be emailed',
      },
      {
        i: 19,
        scope: 'theme' as const,
        themeKey: 'recipes',
        reason: 'customer-request' as const,
        evidence: 'Does not want recipes',
      },
      {
        i: 27,
        scope: 'address' as const,
        reason: 'bounce' as const,
        evidence: 'Hard bounce 550 mailbox unavailable',
      },
      {
        i: 35,
        scope: 'all' as const,
        reason: 'legal' as const,
        evidence: 'Guardian asked on behalf of a minor',
      },
    ];
    const setIds: number[] = [];
    for (const b of blocks) {
      const customer = pick(b.i);
      if (!customer) continue;
      const result = await setContactBlock(db, {
        customerId: customer.id,
        scope: b.scope,
        channel: b.channel,
        themeKey: b.themeKey,
        reason: b.reason,
        evidence: b.evidence,
        setBy: 'system:demo',
        now: new Date(now.getTime() - 15 * DAY),
      });
      if (result.ok) setIds.push(result.value.blockId);
    }
    if (setIds[4])
      await liftContactBlock(db, setIds[4], {
        liftedBy: 'system:demo',
        reason: 'Guardian withdrew the request',
        now: new Date(now.getTime() - 3 * DAY),
      });

    const requests = [
      { i: 5, kind: 'access' as const, daysAgo: 3, verified: true },
      { i: 8, kind: 'erasure' as const, daysAgo: 12, verified: true },
      { i: 13, kind: 'objection' as const, daysAgo: 1, verified: false },
      { i: 21, kind: 'portability' as const, daysAgo: 40, verified: true },
      {
        i: 29,
        kind: 'rectification' as const,
        daysAgo: 20,
        verified: true,
        extend: 'Waiting for the customer to send the corrected address',
      },
    ];
    for (const r of requests) {
      const customer = pick(r.i);
      if (!customer) continue;
      // The unverified one queues its verification mail, as a real API request would.
      const { request } = await createPrivacyRequest(db, {
        customerId: customer.id,
        kind: r.kind,
        source: r.verified ? 'staff' : 'api',
        verified: r.verified,
        details: { demo: true },
        actor: { type: 'system', id: 'demo' },
        now: new Date(now.getTime() - r.daysAgo * DAY),
      });
      if (r.extend)
        await extendRequest(db, request.id, { reason: r.extend, actor: { type: 'system', id: 'demo' } });
    }
  });
}
