import { describe, expect, it } from 'vitest';
import { seedDemoWorkspace } from './seed';
import { useTempDatabase } from '@/tests/helpers/db';
import { verifyPassword } from '@/lib/auth/password';

const database = useTempDatabase();

describe('the demo workspace', () => {
  it('has staff in every role, every legal basis in use, every consent state, and customers in the live journey', async () => {
    const result = await seedDemoWorkspace({ customerCount: 120 });
    const all = <T>(sql: string) => database.all<T>(sql);

    expect(result.logins.map((l) => l.role).sort()).toEqual(['admin', 'compliance', 'marketer']);
    // Generated passwords are stored only as hashes.
    for (const login of result.logins) {
      const row = (await database.get<{ hash: string }>(
        'SELECT password_hash AS hash FROM users WHERE email = ?',
        login.email,
      ))!;
      expect(row.hash).not.toContain(login.password);
      expect(await verifyPassword(login.password, row.hash)).toBe(true);
    }
    const bases = (await all<{ legal_basis: string }>('SELECT DISTINCT legal_basis FROM purposes')).map(
      (r) => r.legal_basis,
    );
    expect(bases).toEqual(
      expect.arrayContaining(['consent', 'contract', 'legal-obligation', 'legitimate-interests']),
    );
    const states = (await all<{ state: string }>('SELECT DISTINCT state FROM consent_state')).map(
      (r) => r.state,
    );
    expect(states).toEqual(
      expect.arrayContaining(['pending', 'granted', 'withdrawn', 'expired', 'objected']),
    );
    expect((await all('SELECT 1 FROM contact_blocks')).length).toBeGreaterThan(0);
    const journeys = (await all<{ status: string }>('SELECT status FROM journeys ORDER BY id')).map(
      (r) => r.status,
    );
    expect(journeys).toEqual(['live', 'draft']);
    const [enrolled] = await all<{ n: number }>(
      "SELECT count(*) AS n FROM enrollments e JOIN journeys j ON j.id = e.journey_id WHERE j.status = 'live'",
    );
    expect(enrolled.n).toBe(40);
  });
});
