import { writeTransaction } from '@/db/client';
import { customerIdsByEmail, customerStatuses, insertEvents } from '@/db/store/customers';
import type { EventInput } from '@/lib/api/schemas';
import { onEventsIngested } from '@/lib/executor/lifecycle';
import { tombstonedAddresses } from './tombstone';
import { normaliseEmail } from './upsert';
import { err, ok, type Failure, type Result } from '@/lib/result';

export type IngestResult = Result<{ eventIds: number[] }, Failure<'unknown_customer' | 'erased_customer'>>;

/**
 * Stores a batch of events in one transaction (one multi-row INSERT) and hands them to the executor, which starts
 * event-triggered journeys and wakes enrollments waiting for that event. All or nothing: a
 * batch naming an unknown customer is refused as a whole, naming the first bad item.
 */
export async function ingestEvents(inputs: EventInput[], now = new Date()): Promise<IngestResult> {
  return await writeTransaction(async (db) => {
    const emails = [
      ...new Set(inputs.flatMap((event) => (event.email ? [normaliseEmail(event.email)] : []))),
    ];
    const byEmail = await customerIdsByEmail(db, emails);
    const ids = [...new Set(inputs.flatMap((event) => (event.customerId ? [event.customerId] : [])))];
    const byId = await customerStatuses(db, ids);
    // A pending sign-up of an erased address gathers nothing until the person confirms it.
    const tombstoned = await tombstonedAddresses(db, [
      ...emails,
      ...[...byId.values()].flatMap((c) => (c.email ? [c.email] : [])),
    ]);

    const resolved: number[] = [];
    for (const [index, event] of inputs.entries()) {
      const prefix = inputs.length > 1 ? `${index}.` : '';
      let customerId: number | undefined;
      let status: string | undefined;
      if (event.customerId !== undefined) {
        const found = byId.get(event.customerId);
        // Events for a merged profile follow the survivor.
        customerId = found?.mergedIntoId ?? (found ? event.customerId : undefined);
        status = found?.email && tombstoned.has(found.email) ? 'erased' : found?.status;
      } else if (event.email) {
        const found = byEmail.get(normaliseEmail(event.email));
        customerId = found?.id;
        status = tombstoned.has(normaliseEmail(event.email)) ? 'erased' : found?.status;
      }
      const field = `${prefix}${event.customerId !== undefined ? 'customerId' : 'email'}`;
      if (!customerId) return err('unknown_customer', `${field}: no such customer`, { field });
      if (status === 'erased') return err('erased_customer', `${field}: the customer was erased`, { field });
      resolved.push(customerId);
    }

    // Set-based: one multi-row INSERT for the batch, then the executor's hooks for all of it.
    const stored = inputs.map((event, index) => ({
      customerId: resolved[index]!,
      name: event.name,
      properties: event.properties,
      occurredAt: event.occurredAt ? new Date(event.occurredAt) : now,
      receivedAt: now,
    }));
    const eventIds = await insertEvents(db, stored);
    await onEventsIngested(
      db,
      stored.map((event, index) => ({ ...event, id: eventIds[index] })),
    );
    return ok({ eventIds });
  });
}
