import { describe, expect, it } from 'vitest';
import { seedDemoWorkspace } from './seed';
import { useTempDatabase } from '@/tests/helpers/db';
import { verifyPassword } from '@/lib/auth/password';

const database = useTempDatabase();

describe('the demo workspace', () => {
  it('has staff in every role, every legal basis in use, every consent state, and customers in the live journey', async () => {
    const result = await seedDemoWorkspace({ customerCount: 120 });
    const sqlite = database.sqlite();
    const all = <T>(sql: string) => sqlite.prepare(sql).all() as T[];

    expect(result.logins.map((l) => l.role).sort()).toEqual(['admin', 'compliance', 'marketer']);
    // Generated passwords are stored only as hashes.
    for (const login of result.logins) {
      const row = sqlite
        .prepare('SELECT password_hash AS hash FROM users WHERE email = ?')
        .get(login.email) as { hash: string };
      expect(row.hash).not.toContain(login.password);
      expect(await verifyPassword(login.password, row.hash)).toBe(true);
    }
    const bases = all<{ legal_basis: string }>('SELECT DISTINCT legal_basis FROM purposes').map(
      (r) => r.legal_basis,
    );
    expect(bases).toEqual(
      expect.arrayContaining(['consent', 'contract', 'legal-obligation', 'legitimate-interests']),
    );
    const states = all<{ state: string }>('SELECT DISTINCT state FROM consent_state').map((r) => r.state);
    expect(states).toEqual(
      expect.arrayContaining(['pending', 'granted', 'withdrawn', 'expired', 'objected']),
    );
    expect(all('SELECT 1 FROM contact_blocks').length).toBeGreaterThan(0);
    const journeys = all<{ status: string }>('SELECT status FROM journeys ORDER BY id').map((r) => r.status);
    expect(journeys).toEqual(['live', 'draft']);
    const enrolled = all<{ n: number }>(
      "SELECT count(*) AS n FROM enrollments e JOIN journeys j ON j.id = e.journey_id WHERE j.status = 'live'",
    )[0]!;
    expect(enrolled.n).toBe(40);
  });
});
