import { readTransaction } from '@/db/client';
import { customerPage } from '@/db/store/journey-runtime';
import { segmentMatches, ENTRY_PAGE } from '@/lib/executor/enroll';
import { checkContactAllowed } from '@/lib/privacy/contact-check';
import { getAnyStep, isStepType, stepDefinitions, type JourneyDraft } from '@/lib/journey';

/**
 * Who a journey's entry reaches now, before publishing: how many customers match the target
 * group, and how many of them may be contacted today for every purpose the journey writes to
 * them for (the same consent, objection and block check the send step makes, checkContactAllowed).
 * Read in one snapshot; nothing is written. Counts stop at MAX_COUNTED customers scanned.
 */
export type EntryAudience =
  | { mode: 'event'; eventName: string | null }
  | {
      mode: 'segment';
      matching: number;
      /** Null when the journey writes to no one (no step that contacts for a purpose). */
      contactable: number | null;
      purposes: string[];
      /** True when the count stopped at MAX_COUNTED customers. */
      capped: boolean;
    }
  | { mode: 'invalid' };

export const MAX_COUNTED = 50_000;

/** Purposes the journey contacts customers for (send steps), in graph order, without repeats. */
export function contactPurposesOf(graph: JourneyDraft): string[] {
  const purposes: string[] = [];
  for (const node of graph.nodes) {
    if (!isStepType(node.type)) continue;
    const definition = getAnyStep(node.type);
    if (!definition.contactsForPurpose || !definition.purposeOf) continue;
    const parsed = definition.configSchema.safeParse(node.config);
    const purpose = parsed.success ? definition.purposeOf(parsed.data as never) : undefined;
    if (purpose && !purposes.includes(purpose)) purposes.push(purpose);
  }
  return purposes;
}

export async function entryAudience(graph: JourneyDraft, now = Date.now()): Promise<EntryAudience> {
  const entry = graph.nodes.find((node) => node.type === 'entry');
  const parsed = entry ? stepDefinitions.entry.configSchema.safeParse(entry.config) : undefined;
  if (!parsed?.success) return { mode: 'invalid' };
  const config = parsed.data;
  if (config.mode === 'event') return { mode: 'event', eventName: config.eventName ?? null };
  const segment = config.segment ?? { match: 'all' as const, conditions: [] };
  const purposes = contactPurposesOf(graph);
  return await readTransaction(async (db) => {
    let matching = 0;
    let contactable = 0;
    let scanned = 0;
    let afterId = 0;
    for (;;) {
      const customers = await customerPage(db, afterId, ENTRY_PAGE);
      for (const customer of customers) {
        if (!(await segmentMatches(db, segment, customer, now))) continue;
        matching++;
        let allowed = purposes.length > 0;
        for (const purposeKey of purposes) {
          if (!allowed) break;
          allowed = (
            await checkContactAllowed(db, { customerId: customer.id, purposeKey, now: new Date(now) })
          ).allowed;
        }
        if (allowed) contactable++;
      }
      scanned += customers.length;
      afterId = customers.at(-1)?.id ?? afterId;
      if (customers.length < ENTRY_PAGE || scanned >= MAX_COUNTED)
        return {
          mode: 'segment',
          matching,
          contactable: purposes.length > 0 ? contactable : null,
          purposes,
          capped: customers.length === ENTRY_PAGE && scanned >= MAX_COUNTED,
        };
    }
  });
}
