/** The built-in outbox as admins see it on Settings → Outbox. */
export { listOutboxMail } from '@/db/store/outbox-view';
