// A small executor loop on the older PostgreSQL-only claim/commit functions (db/pg/enrollments.ts),
// for scripts/bench-executor-pg.ts: claim a batch with SKIP LOCKED, take each enrollment one step along
// entry → pause (waiting) → send (outbox row) → end (completed), commit the batch.
// Usage: tsx scripts/lib/pg-claim-worker.ts <postgres-url> <worker-id> [batch] [lease-ms] [jitter-ms] [idle-rounds]
import { openPostgres, closePostgres } from '@/db/pg/client';
import {
  claimDueEnrollments,
  commitTransitions,
  type EnrollmentRecord,
  type TransitionCommit,
} from '@/db/pg/enrollments';

const [url, workerId, batchArg, leaseArg, jitterArg, idleArg] = process.argv.slice(2);
if (!url || !workerId) {
  console.error(
    'usage: claim-worker <postgres-url> <worker-id> [batch] [lease-ms] [jitter-ms] [idle-rounds]',
  );
  process.exit(2);
}
const batch = Number(batchArg || 20);
const leaseMs = Number(leaseArg || 1000);
const jitterMs = Number(jitterArg || 0);
const maxIdleRounds = Number(idleArg || 100);

/** The next step of the test journey; the outbox key carries the worker id so a double send would show. */
function step(enrollment: EnrollmentRecord, owner: string, now: number): TransitionCommit {
  const seq = enrollment.seq + 1;
  const base = { enrollmentId: enrollment.id, claimedSeq: enrollment.seq };
  const event = (nodeId: string, outcome: string) => ({
    enrollmentId: enrollment.id,
    seq,
    journeyId: enrollment.journeyId,
    versionId: enrollment.versionId,
    customerId: enrollment.customerId,
    nodeId,
    stepType: nodeId,
    outcome,
    reason: `test step by ${owner}`,
    context: { worker: owner },
    at: now,
  });
  const position = { ...enrollment, seq, lastError: null, attempts: 0, endedAt: null as number | null };
  switch (enrollment.nodeId) {
    case 'entry':
      return {
        ...base,
        position: { ...position, nodeId: 'pause', state: 'waiting', waitKey: 'test:pause', runAt: now + 20 },
        stepEvents: [event('entry', 'next')],
      };
    case 'pause':
      return {
        ...base,
        position: { ...position, nodeId: 'send', state: 'active', waitKey: null, runAt: now },
        stepEvents: [event('pause', 'next')],
      };
    case 'send':
      return {
        ...base,
        position: { ...position, nodeId: 'end', state: 'completed', waitKey: null, runAt: now, endedAt: now },
        stepEvents: [event('send', 'sent')],
        outbox: [
          {
            kind: 'email',
            idempotencyKey: `test-${enrollment.id}-send-${owner}`,
            category: 'marketing',
            customerId: enrollment.customerId,
            enrollmentId: enrollment.id,
            toAddress: `c${enrollment.customerId}@example.test`,
            subject: 'Hello',
            bodyText: 'Hello',
            nextAttemptAt: now,
          },
        ],
      };
    default:
      throw new Error(`unexpected node ${enrollment.nodeId}`);
  }
}

async function main(): Promise<void> {
  const { pool } = openPostgres(url, { max: 2 });
  let transitions = 0;
  let idleRounds = 0;
  // Exits on its own once nothing has been due for a while (the test also kills it at will).
  while (idleRounds < maxIdleRounds) {
    const now = Date.now();
    const claimed = await claimDueEnrollments(pool, { owner: workerId, now, leaseMs, limit: batch });
    if (claimed.length === 0) {
      idleRounds++;
      await new Promise((resolve) => setTimeout(resolve, 20));
      continue;
    }
    idleRounds = 0;
    const commits = claimed.map((enrollment) => step(enrollment, workerId, now));
    // Widens the window in which a SIGKILL lands between claim and commit.
    if (jitterMs > 0) await new Promise((resolve) => setTimeout(resolve, Math.random() * jitterMs));
    const result = await commitTransitions(pool, workerId, commits, Date.now());
    transitions += result.committed.length;
  }
  console.log(JSON.stringify({ workerId, transitions }));
  await closePostgres(url);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
