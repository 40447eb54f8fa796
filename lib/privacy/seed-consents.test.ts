import { describe, expect, it } from 'vitest';
import { useTempDatabase } from '@/tests/helpers/db';
import { seedDemoConsents } from '@/lib/demo/seed-consents';
import { seedPrivacyFixtures } from '@/tests/fixtures/privacy';
import { verifyLedger } from './ledger';

const db = useTempDatabase();

describe('demo consents', () => {
  it('spread 300 customers over every consent state through the real ledger; counters match the state table', async () => {
    const { customers, purposes } = await seedPrivacyFixtures(300);
    await seedDemoConsents(customers, purposes);
    const states = (
      (await db.all("SELECT DISTINCT state FROM consent_state WHERE theme_key = ''")) as {
        state: string;
      }[]
    )
      .map((r) => r.state)
      .sort();
    expect(states).toEqual(['expired', 'granted', 'objected', 'pending', 'withdrawn']);
    const mismatches =
      await db.all(`SELECT c.purpose_id, c.theme_key, c.state, c.count, (SELECT count(*) FROM consent_state s WHERE s.purpose_id = c.purpose_id AND s.theme_key = c.theme_key AND s.state = c.state) AS actual
         FROM consent_counters c WHERE c.count != (SELECT count(*) FROM consent_state s WHERE s.purpose_id = c.purpose_id AND s.theme_key = c.theme_key AND s.state = c.state)`);
    expect(mismatches).toEqual([]);
    expect((await verifyLedger()).ok).toBe(true);
    expect(await db.get('SELECT count(*) AS n FROM contact_blocks WHERE lifted_at IS NULL')).toEqual({
      n: 4,
    });
    const overdue = (await db.get(
      "SELECT count(*) AS n FROM privacy_requests WHERE status IN ('open','unverified','in-progress') AND due_at < ?",
      Date.now(),
    )) as { n: number };
    expect(overdue.n).toBeGreaterThanOrEqual(1);
  });
});
