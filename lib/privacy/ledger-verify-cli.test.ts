import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isPostgresMode, useTempDatabase } from '@/tests/helpers/db';
import { seedPrivacyFixtures } from '@/tests/fixtures/privacy';
import { recordConsent } from './ledger';

const db = useTempDatabase();

function runVerify(...args: string[]) {
  return spawnSync(
    process.execPath,
    [path.resolve('node_modules/tsx/dist/cli.mjs'), 'scripts/ledger-verify.ts', ...args],
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

  it('writes a checkpoint and exports the head; --expect-head catches the newest events removed', async () => {
    const customerId = ((await db.get('SELECT id FROM customers ORDER BY id DESC LIMIT 1')) as { id: number })
      .id;
    // The previous test tampered with an event; this one starts from an intact chain of its own.
    await db.run(
      isPostgresMode()
        ? 'DROP TRIGGER IF EXISTS consent_events_no_delete ON consent_events'
        : 'DROP TRIGGER IF EXISTS consent_events_no_delete',
    );
    await db.run('DELETE FROM consent_evidence');
    await db.run('DELETE FROM consent_events');
    for (const action of ['request', 'grant', 'withdraw'] as const)
      await recordConsent({
        customerId,
        purposeKey: 'newsletter',
        action,
        source: 'api',
        evidence: { action },
      });
    const headFile = path.join(db.dir(), 'kept-head.json');
    const exported = runVerify('--checkpoint', '--export-head', headFile);
    expect(exported.status).toBe(0);
    expect(exported.stdout).toContain('Checkpoint written: 3 events');
    const kept = JSON.parse(fs.readFileSync(headFile, 'utf8')) as { eventCount: number; headHash: string };
    expect(kept).toMatchObject({ format: 'tarmo-ledger-head/1', eventCount: 3 });
    expect(runVerify('--expect-head', headFile).status).toBe(0);
    expect(runVerify('--expect-head', `${kept.eventCount}:${kept.headHash}`).status).toBe(0);

    const newest = (await db.get('SELECT id FROM consent_events ORDER BY id DESC LIMIT 1')) as { id: number };
    await db.run('DELETE FROM consent_evidence WHERE event_id = ?', newest.id);
    await db.run('DELETE FROM consent_events WHERE id = ?', newest.id);
    await db.run('DELETE FROM ledger_checkpoints');
    // Without the kept head the shortened chain looks whole; with it, it does not.
    expect(runVerify().status).toBe(0);
    const cut = runVerify('--expect-head', headFile);
    expect(cut.status).toBe(1);
    expect(cut.stderr).toMatch(/holds 2 events but the head kept outside Tarmo has 3/);
    expect(runVerify('--expect-head', 'nonsense').status).toBe(2);
  });
});
