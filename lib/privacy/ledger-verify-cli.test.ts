import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isPostgresMode, useTempDatabase } from '@/tests/helpers/db';
import { seedPrivacyFixtures } from './test/fixtures';
import { recordConsent } from './ledger';

const db = useTempDatabase();

function runVerify() {
  return spawnSync(
    process.execPath,
    [path.resolve('node_modules/tsx/dist/cli.mjs'), 'scripts/ledger-verify.ts'],
    {
      env: { ...process.env },
      encoding: 'utf8',
    },
  );
}

describe('npm run ledger:verify', () => {
  it('exits 0 on an intact ledger and 1 naming the event altered with raw SQL', async () => {
    const { customers } = await seedPrivacyFixtures(2);
    for (const action of ['request', 'grant', 'withdraw', 'grant'] as const) {
      await recordConsent({
        customerId: customers[0].id,
        purposeKey: 'newsletter',
        action,
        source: 'form',
        evidence: { action },
      });
    }
    const intact = runVerify();
    expect(intact.status).toBe(0);
    expect(intact.stdout).toContain('4 events verified');

    // A copy of the production guard is dropped only in this test database.
    await db.run(
      isPostgresMode()
        ? 'DROP TRIGGER consent_events_no_update ON consent_events'
        : 'DROP TRIGGER consent_events_no_update',
    );
    const third = (await db.get('SELECT id FROM consent_events ORDER BY id LIMIT 1 OFFSET 2')) as {
      id: number;
    };
    await db.run('UPDATE consent_events SET occurred_at = occurred_at - 86400000 WHERE id = ?', third.id);
    const broken = runVerify();
    expect(broken.status).toBe(1);
    expect(broken.stderr).toContain(`event ${third.id}`);
    expect(JSON.parse(broken.stdout.trim().split('\n').pop() ?? '{}')).toMatchObject({
      ok: false,
      firstBrokenEventId: third.id,
    });
  });
});
