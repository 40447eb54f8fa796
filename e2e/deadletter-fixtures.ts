// e2e helper run like an operator's CLI against the e2e database:
//   fail <enrollmentId> <error>  dead-letters a running enrollment exactly as the engine does after
//     its last failed attempt (state 'failed', attempts = MAX_ATTEMPTS, last_error, an 'error' step
//     event), without waiting ~30 s of real backoff for a handler to throw five times.
import { closeDatabase, writeTransaction } from '@/db/client';
import { findEnrollmentIn } from '@/db/store/enrollment-records';
import { insertStepEvent, savePosition } from '@/db/store/enrollment-positions';
import { MAX_ATTEMPTS } from '@/lib/executor/engine';

const [command, id, message] = process.argv.slice(2);
if (command !== 'fail' || !id || !message)
  throw new Error('usage: deadletter-fixtures.ts fail <enrollmentId> <error>');
// tsx runs this file as CommonJS, which has no top-level await.
async function main() {
  const result = await writeTransaction(async (db) => {
    const enrollment = await findEnrollmentIn(db, Number(id));
    if (!enrollment || !['active', 'waiting'].includes(enrollment.state))
      return { ok: false as const, reason: 'not running' };
    const now = Date.now();
    const seq = enrollment.seq + 1;
    await savePosition(
      db,
      enrollment.id,
      { ...enrollment, state: 'failed', seq, attempts: MAX_ATTEMPTS, lastError: message, endedAt: null },
      now,
    );
    await insertStepEvent(db, {
      enrollmentId: enrollment.id,
      seq,
      journeyId: enrollment.journeyId,
      versionId: enrollment.versionId,
      customerId: enrollment.customerId,
      nodeId: enrollment.nodeId,
      stepType: 'error',
      outcome: 'failed',
      reason: `stopped after ${MAX_ATTEMPTS} failed attempts: ${message}`,
      at: now,
    });
    return { ok: true as const };
  });
  console.log(JSON.stringify(result));
}

// Closing the store lets the process exit at once (an open PostgreSQL pool would hold it ~10 s).
main()
  .then(() => closeDatabase())
  .catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
