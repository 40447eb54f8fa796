import { describe, expect, it } from 'vitest';
import { openDatabase, sqlGet, writeTransaction, type DbHandle } from '@/db/client';
import { claimDueEnrollments } from '@/db/store/enrollment-positions';
import { runExecutorBatch } from '@/lib/executor/engine';
import { enrollCustomer } from '@/lib/executor/lifecycle';
import {
  graphAround,
  insertFixtureCustomers,
  publishFixtureJourney,
  seedDemoPurposes,
} from '@/tests/fixtures/executor';
import { recordConsentEvent } from '@/lib/privacy/ledger';
import { skipWithoutPostgres, usePostgresWorkspace } from '@/tests/helpers/postgres';

/**
 * The lock order of db/advisory-locks.ts under load: executor batches (claimed enrollment rows,
 * then the ledger lock for the double opt-in's request) run beside web grants of the same
 * customers (which wake, and so update, the enrollments those batches may hold). Before the
 * order was fixed a grant took the ledger lock first and then waited for a claimed row while the
 * batch waited for the ledger: PostgreSQL broke the cycle with a deadlock error (40P01).
 */
const ROUNDS = 3;
const CUSTOMERS = 60;
const RUN_MS = 4_000;

function doubleOptInJourney() {
  return graphAround(
    {
      id: 'doi',
      type: 'double-opt-in',
      position: { x: 0, y: 100 },
      config: { purpose: 'newsletter', themes: [], expiresHours: 72 },
    },
    ['confirmed', 'expired'],
  );
}

async function grant(handle: DbHandle, customerId: number) {
  await writeTransaction(
    async (db) =>
      await recordConsentEvent(db, {
        customerId,
        purposeKey: 'newsletter',
        action: 'grant',
        source: 'api',
        evidence: { test: 'lock-order' },
      }),
    handle,
  );
}

const isDeadlock = (error: unknown) => (error as { code?: string }).code === '40P01';

describe.skipIf(skipWithoutPostgres('tests/pg/lock-order.test.ts'))(
  'lock order: executor batches beside web grants',
  () => {
    const workspace = usePostgresWorkspace('tarmo_locks', seedDemoPurposes);

    it('a grant meeting a batch that holds the enrollment it wakes waits for it instead of deadlocking', async () => {
      // The exact interleaving, repeated: the batch claims customer A's woken enrollment, the
      // grant of A starts, then the batch appends to the ledger (a double opt-in request for B).
      const handle = openDatabase(workspace.url());
      const { firstId } = await writeTransaction(
        async (db) => await insertFixtureCustomers(db, 2 * ROUNDS),
        handle,
      );
      const { journeyId } = await writeTransaction(
        async (db) => await publishFixtureJourney(db, 'double opt-in', doubleOptInJourney()),
        handle,
      );
      const deadlocks: string[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        const customerA = firstId + 2 * round;
        const customerB = customerA + 1;
        // A waits for the click (the batch ran the double opt-in), then a grant wakes it (due now).
        expect((await enrollCustomer(journeyId, customerA)).ok).toBe(true);
        await runExecutorBatch({ workerId: 'setup', batchSize: 50, leaseMs: 30_000 }, handle);
        await grant(handle, customerA);

        let claimed!: () => void;
        const hasClaimed = new Promise<void>((resolve) => (claimed = resolve));
        const batch = writeTransaction(
          async (db) => {
            const rows = await claimDueEnrollments(db, {
              owner: 'w1',
              now: Date.now(),
              leaseMs: 30_000,
              limit: 10,
            });
            expect(rows.map((row) => row.customerId)).toContain(customerA);
            claimed();
            // Give the grant time to reach (and block on) the locks it needs.
            await new Promise((resolve) => setTimeout(resolve, 150));
            await recordConsentEvent(db, {
              customerId: customerB,
              purposeKey: 'newsletter',
              action: 'request',
              source: 'journey',
              evidence: { test: 'lock-order' },
            });
          },
          handle,
          { serialized: false },
        ).catch((error: unknown) => {
          if (isDeadlock(error)) deadlocks.push(`batch, round ${round}`);
          else throw error;
        });
        await hasClaimed;
        const secondGrant = grant(handle, customerA).catch((error: unknown) => {
          if (isDeadlock(error)) deadlocks.push(`grant, round ${round}`);
          else throw error;
        });
        await Promise.all([batch, secondGrant]);
      }
      expect(deadlocks).toEqual([]);
      const events = await sqlGet<{ n: number }>(
        handle.db,
        "SELECT count(*) AS n FROM consent_events WHERE evidence_digest <> '' AND action IN ('grant', 'request')",
      );
      // Per round: the double opt-in's request, two grants and the batch's request.
      expect(Number(events?.n)).toBe(4 * ROUNDS);
    }, 120_000);

    it('runs executor batches and web grants concurrently for a while without a deadlock', async () => {
      const handle = openDatabase(workspace.url());
      const { firstId } = await writeTransaction(
        async (db) => await insertFixtureCustomers(db, CUSTOMERS, { startIndex: 1000 }),
        handle,
      );
      const { journeyId } = await writeTransaction(
        async (db) => await publishFixtureJourney(db, 'double opt-in, load', doubleOptInJourney()),
        handle,
      );
      const deadlocks: string[] = [];
      const counts = { transitions: 0, enrolled: 0, grants: 0 };
      const until = Date.now() + RUN_MS;
      const record = (who: string) => (error: unknown) => {
        if (isDeadlock(error)) deadlocks.push(who);
        else throw error;
      };
      const worker = async (workerId: string) => {
        while (Date.now() < until) {
          await runExecutorBatch({ workerId, batchSize: 20, leaseMs: 30_000 }, handle).then(
            (batch) => (counts.transitions += batch.transitions),
            record(workerId),
          );
        }
      };
      const enroller = async () => {
        for (let i = 0; i < CUSTOMERS && Date.now() < until; i++) {
          if ((await enrollCustomer(journeyId, firstId + i)).ok) counts.enrolled++;
        }
      };
      const granter = async (offset: number) => {
        for (let i = offset; Date.now() < until; i += 2) {
          const customerId = firstId + (i % Math.max(1, counts.enrolled));
          await grant(handle, customerId).then(() => counts.grants++, record('grant'));
        }
      };
      await Promise.all([worker('w1'), worker('w2'), enroller(), granter(0), granter(1)]);
      expect(deadlocks).toEqual([]);
      expect(counts.enrolled).toBeGreaterThan(10);
      expect(counts.transitions).toBeGreaterThan(10);
      expect(counts.grants).toBeGreaterThan(10);
    }, 120_000);
  },
);
