// `npm run bench:send-rate`: the provider send-rate limiter's overhead per mail. Takes and ends
// BENCH_SEND_RATE_COUNT (default 2000) send slots one after another under a limit high enough
// never to wait (what every mail pays when a limit is set), and the same loop without a limit
// (what it pays when none is), alternating BENCH_PHASES (3) times; medians with their spread.
// DATABASE_URL may be postgres://…; default a temp SQLite file.
// The last line is one JSON object.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { formatSpread, loadAverage1, loadLine, median, round } from './lib/bench';

const count = Number(process.env.BENCH_SEND_RATE_COUNT || 2000);
const PHASES = Math.max(1, Number(process.env.BENCH_PHASES || 3));
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tarmo-bench-send-rate-'));
if (!process.env.DATABASE_URL?.startsWith('postgres'))
  process.env.DATABASE_URL = `file:${path.join(dataDir, 'tarmo.db')}`;
process.env.TARMO_DATA_DIR = dataDir;

async function main() {
  const { migrateDatabase } = await import('@/db/migrate');
  const { openDatabase, writeTransaction, sqlRun } = await import('@/db/client');
  const { replaceProviderRateLimits } = await import('@/db/store/delivery');
  const { acquireSendSlot, endSendSlotsIn } = await import('@/lib/delivery/rate-limit');
  await migrateDatabase(process.env.DATABASE_URL);
  const handle = openDatabase();
  await sqlRun(handle.db, 'DELETE FROM send_slots');
  await writeTransaction(
    async (db) =>
      await replaceProviderRateLimits(
        db,
        [{ provider: 'bench.test', perSecond: 1_000_000, perHour: 100_000_000 }],
        Date.now(),
      ),
    handle,
  );

  /** ms per mail: taking the slot, and ending it (alone here; the dispatcher ends it in the commit that records the mail sent). */
  const run = async (provider: string) => {
    let grant = 0n;
    let end = 0n;
    for (let i = 0; i < count; i++) {
      const t0 = process.hrtime.bigint();
      const slot = await acquireSendSlot(handle, provider, { inFlightMs: 60_000 });
      const t1 = process.hrtime.bigint();
      if (!slot.ok) throw new Error('the bench limit was reached');
      await writeTransaction(async (db) => await endSendSlotsIn(db, [slot.slotId]), handle);
      grant += t1 - t0;
      end += process.hrtime.bigint() - t1;
    }
    return { grant: Number(grant) / 1e6 / count, end: Number(end) / 1e6 / count };
  };
  await run('bench.test'); // warm-up: statements prepared, limits cached
  // Alternate with and without a limit, PHASES of each; medians with their spread.
  const limitedRuns: { grant: number; end: number }[] = [];
  const unlimitedRuns: { grant: number; end: number }[] = [];
  for (let phase = 1; phase <= PHASES; phase++) {
    unlimitedRuns.push(await run('no-limit.test'));
    limitedRuns.push(await run('bench.test'));
  }
  const grant = limitedRuns.map((r) => r.grant);
  const end = limitedRuns.map((r) => r.end);
  const none = unlimitedRuns.map((r) => r.grant);
  const store = process.env.DATABASE_URL!.startsWith('postgres') ? 'postgres' : 'sqlite';
  console.log(
    `send-rate limiter (${store}, ${PHASES} phases of ${count} mails each way): ${median(grant).toFixed(3)} ms per mail to take a slot (spread ${formatSpread(grant, 3)}; ${median(end).toFixed(3)} ms to end it in a transaction of its own); ${median(none).toFixed(4)} ms without a limit (spread ${formatSpread(none, 4)}); ${loadLine()}`,
  );
  console.log(
    JSON.stringify({
      store,
      mails: count,
      phases: PHASES,
      rateLimiterMsPerMail: round(median(grant), 4),
      rateLimiterMsPerMailMin: round(Math.min(...grant), 4),
      rateLimiterMsPerMailMax: round(Math.max(...grant), 4),
      slotEndMsPerMail: round(median(end), 4),
      noLimitMsPerMail: round(median(none), 4),
      cpus: os.cpus().length,
      loadavg1: loadAverage1(),
    }),
  );
  fs.rmSync(dataDir, { recursive: true, force: true });
  process.exit(0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
