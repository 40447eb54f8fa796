// A worker process for lib/delivery/rate-limit.test.ts: dispatches the outbox of DATABASE_URL
// through SMTP_URL until no mail is left to send, then prints how many it sent.
import { sqlGet, openDatabase } from '@/db/client';
import { dispatchDueOutbox } from '@/lib/outbox/dispatcher';
import { closeSmtpPool } from '@/lib/mail/transport';

async function main() {
  const workerId = process.argv[2] ?? `child-${process.pid}`;
  const handle = openDatabase();
  let sent = 0;
  for (;;) {
    const result = await dispatchDueOutbox({ workerId, limit: 20, batchSize: 10 }, handle);
    sent += result.sent;
    const left = await sqlGet<{ n: number | string }>(
      handle.db,
      "SELECT count(*) AS n FROM outbox WHERE status IN ('queued', 'sending')",
    );
    if (Number(left?.n ?? 0) === 0) break;
    if (result.sent + result.deferred + result.retried === 0)
      await new Promise((resolve) => setTimeout(resolve, 20));
  }
  closeSmtpPool();
  process.stdout.write(JSON.stringify({ sent }));
  process.exit(0);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
