// e2e helper run like an operator's CLI against the e2e database:
//   queue-mail <customerId> <purposeKey> [subject]  queues one rendered marketing mail (what the
//     dispatcher renders for a journey's send step); the real dispatcher delivers it to the SMTP sink.
//   publish-notice <purposeKey> <text>  publishes a new notice version (English and German).
import { closeDatabase, writeTransaction } from '@/db/client';
import { insertOutboxMail } from '@/db/store/privacy-outbox';
import { buildMarketingMail } from '@/lib/outbox/marketing';
import { publishNotice } from '@/lib/privacy/notices';

const [command, ...args] = process.argv.slice(2);
// tsx runs this file as CommonJS, which has no top-level await.
async function main() {
  const result = await writeTransaction(async (db) => {
    if (command === 'publish-notice') {
      const [purposeKey, text] = args;
      return await publishNotice(db, { purposeKey, texts: { en: text, de: text }, requiresReconsent: false });
    }
    const [customerId, purposeKey, subject] = args;
    const mail = await buildMarketingMail(db, {
      customerId: Number(customerId),
      purposeKey,
      subject: subject ?? 'News for {{firstName}}',
      body: 'Hello {{firstName}},\n\nfresh avocados today.',
    });
    if (!mail.ok) return mail;
    await insertOutboxMail(db, {
      ...mail,
      idempotencyKey: `e2e-privacy:${customerId}:${Date.now()}`,
      now: new Date(),
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
