/** The staff audit log: who did what to which record (never the personal data itself). */
export { recordAudit, type AuditEntry } from '@/db/store/audit';
