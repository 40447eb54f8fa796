import { describe, expect, it } from 'vitest';
import { useTempDatabase } from '@/tests/helpers/db';
import { ingestEvents } from './events';
import { upsertCustomer } from './upsert';

const db = useTempDatabase();
const actor = { type: 'api_key' as const, id: 1 };

async function customer(email: string): Promise<number> {
  const created = await upsertCustomer({ email, name: 'Event Person' }, actor);
  if (!created.ok) throw new Error(created.error.message);
  return created.value.customer.id;
}

type StoredEvent = { id: number; customer_id: number; name: string; properties: string; occurred_at: number };

describe('an event batch', () => {
  it('stores every event and answers each id in the order of the batch, by id and by address', async () => {
    const first = await customer('first@events.test');
    const second = await customer('second@events.test');
    const inputs = Array.from({ length: 1200 }, (_, i) => ({
      ...(i % 3 === 0 ? { email: 'SECOND@events.test' } : { customerId: i % 2 ? first : second }),
      name: `step.${i % 7}`,
      properties: { index: i, text: `tab\there ${i}` },
      occurredAt: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(),
    }));
    const result = await ingestEvents(inputs);
    if (!result.ok) throw new Error(result.error.message);
    const { eventIds } = result.value;
    expect(eventIds).toHaveLength(inputs.length);
    expect(new Set(eventIds).size).toBe(inputs.length);

    const rows = await db.all<StoredEvent>(
      'SELECT id, customer_id, name, properties, occurred_at FROM events ORDER BY id',
    );
    const byId = new Map(rows.map((row) => [Number(row.id), row]));
    for (const [index, input] of inputs.entries()) {
      const row = byId.get(eventIds[index]!)!;
      expect(Number(row.customer_id)).toBe('email' in input ? second : input.customerId);
      expect(row.name).toBe(input.name);
      expect(JSON.parse(row.properties)).toEqual(input.properties);
      expect(Number(row.occurred_at)).toBe(Date.parse(input.occurredAt));
    }
  });

  it('is refused as a whole, naming the first unknown customer, and writes nothing', async () => {
    const known = await customer('known@events.test');
    const before = (await db.get<{ n: number }>('SELECT count(*) AS n FROM events'))!.n;
    const result = await ingestEvents([
      { customerId: known, name: 'page.viewed', properties: {} },
      { customerId: known, name: 'page.viewed', properties: {} },
      { email: 'nobody@events.test', name: 'page.viewed', properties: {} },
    ]);
    expect(result).toMatchObject({ ok: false, error: { code: 'unknown_customer', field: '2.email' } });
    expect((await db.get<{ n: number }>('SELECT count(*) AS n FROM events'))!.n).toBe(before);
  });
});
