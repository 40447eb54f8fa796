// e2e helper: queues one marketing mail for a customer exactly as the send step does
// (buildMarketingMail → outbox), so the real dispatcher delivers it to the SMTP sink.
import { writeTransaction } from '@/db/client';
import { insertOutboxMail } from '@/db/store/privacy-outbox';
import { buildMarketingMail } from '@/lib/mail/marketing';

const [customerId, purposeKey, subject] = process.argv.slice(2);
const result = writeTransaction((db) => {
  const mail = buildMarketingMail(db, { customerId: Number(customerId), purposeKey, subject: subject ?? 'News for {{firstName}}', body: 'Hello {{firstName}},\n\nfresh avocados today.' });
  if (!mail.ok) return mail;
  insertOutboxMail(db, { ...mail, idempotencyKey: `e2e-privacy:${customerId}:${Date.now()}`, now: new Date() });
  return { ok: true as const };
});
console.log(JSON.stringify(result));
