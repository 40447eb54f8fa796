import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '@/db/client';
import { getDb, writeTransaction } from '@/db/client';
import { insertAudit } from '@/db/store/audit';
import { insertOutboxMail } from '@/db/store/privacy-outbox';
import { customerById } from '@/db/store/privacy-customers';
import { setTokenPayload } from '@/db/store/tokens';
import {
  allExportFileNames,
  countExportDownload,
  expiredLiveExports,
  exportById,
  insertExportRow,
  markExportsDeleted,
} from '@/db/store/privacy-package';
import { appEnv } from '@/lib/config/env';
import { exportMail } from '@/lib/mail/templates/privacy-mails';
import { compileDataPackage } from './data-package';
import { packageZip } from './export-files';
import { createLink, linkGone, lookupLink, type LinkResult } from './links';
import { ok } from '@/lib/result';

export function exportsDir(): string {
  return path.join(appEnv().dataDir, 'exports');
}

/** Resolves a stored file name inside the exports dir (never outside it). */
export function exportFilePath(fileName: string): string {
  if (!/^[a-f0-9]{32}\.zip$/.test(fileName)) throw new Error('invalid export file name');
  return path.join(exportsDir(), fileName);
}

/**
 * Writes the customer's data package as a zip under data/exports/<random>.zip (outside public/),
 * records it and issues a 7-day download link. The file is written before the transaction commits;
 * a rolled-back transaction leaves an unreferenced file that the erasure sweep of the dir removes.
 */
export async function createExport(
  db: Db,
  customerId: number,
  options: { requestId?: number | null; now?: Date } = {},
): Promise<{ exportId: number; url: string; expiresAt: Date }> {
  const now = options.now ?? new Date();
  const pkg = await compileDataPackage(db, customerId, now);
  const fileName = `${crypto.randomBytes(16).toString('hex')}.zip`;
  fs.mkdirSync(exportsDir(), { recursive: true, mode: 0o700 });
  fs.writeFileSync(exportFilePath(fileName), packageZip(pkg), { mode: 0o600 });
  const link = await createLink(db, { kind: 'export', customerId, now, payload: {} });
  const row = await insertExportRow(db, {
    customerId,
    requestId: options.requestId ?? null,
    fileName,
    expiresAt: link.expiresAt,
    createdAt: now,
  });
  // The token learns its export after both exist (payload is JSON, so one small update).
  await setTokenPayload(db, link.tokenId, { exportId: row.id });
  await insertAudit(db, {
    actorType: 'system',
    action: 'export.created',
    targetType: 'customer',
    targetId: customerId,
    details: { exportId: row.id, requestId: options.requestId ?? null },
  });
  return { exportId: row.id, url: link.url, expiresAt: link.expiresAt };
}

/** Queues the mail with the download link (always allowed: it is the person's own data). */
export async function queueExportLinkMail(
  db: Db,
  input: {
    customerId: number;
    exportId: number;
    url: string;
    idempotencyKey?: string;
    enrollmentId?: number | null;
    now?: Date;
  },
): Promise<{ queued: boolean; reason: string }> {
  const now = input.now ?? new Date();
  const customer = await customerById(db, input.customerId);
  const row = await exportById(db, input.exportId);
  if (!customer?.email || !row) return { queued: false, reason: 'no address on file' };
  await insertOutboxMail(db, {
    idempotencyKey: input.idempotencyKey ?? `export:${input.exportId}`,
    category: 'privacy',
    customerId: customer.id,
    enrollmentId: input.enrollmentId ?? null,
    toAddress: customer.email,
    ...exportMail({ locale: customer.locale, url: input.url, expiresAt: row.expiresAt }),
    now,
  });
  return { queued: true, reason: 'download link mailed' };
}

export type ExportLookup = LinkResult<{
  exportId: number;
  locale: string;
  expiresAt: Date;
  filePath: string;
}>;

/** Finds the export behind a link; the file must still exist. */
export async function findExport(db: Db, raw: string, now = new Date()): Promise<ExportLookup> {
  const found = await lookupLink(db, raw, ['export'], { now, allowUsed: true });
  if (!found.ok) return found;
  const token = found.value;
  const exportId = Number(token.payload.exportId);
  const row = Number.isInteger(exportId) ? await exportById(db, exportId) : undefined;
  const customer = token.customerId ? await customerById(db, token.customerId) : undefined;
  if (!row || row.deletedAt || row.customerId !== token.customerId || !customer) return linkGone();
  const filePath = exportFilePath(row.fileName);
  if (!fs.existsSync(filePath)) return linkGone();
  return ok({ exportId: row.id, locale: customer.locale, expiresAt: row.expiresAt, filePath });
}

/** Every download is counted and audited (who: the link holder; no personal data in the audit). */
export async function recordExportDownload(exportId: number, client: { ip?: string | null }): Promise<void> {
  await writeTransaction(async (db) => {
    await countExportDownload(db, exportId);
    await insertAudit(db, {
      actorType: 'customer',
      action: 'export.downloaded',
      targetType: 'export',
      targetId: exportId,
      details: { ipPrefix: client.ip ? client.ip.split(/[.:]/).slice(0, 2).join('.') : null },
    });
  });
}

/**
 * Deletes export files whose 7-day link has run out (the worker calls this periodically), and
 * any file in the exports dir no row points at (left by a rolled-back transaction).
 */
export async function purgeExpiredExports(now = new Date()): Promise<number> {
  const expired = await writeTransaction(async (db) => {
    const rows = await expiredLiveExports(db, now);
    await markExportsDeleted(
      db,
      rows.map((r) => r.id),
      now,
    );
    return rows;
  });
  for (const row of expired) fs.rmSync(exportFilePath(row.fileName), { force: true });
  const known = new Set(await allExportFileNames(getDb()));
  let orphans = 0;
  const dir = exportsDir();
  for (const name of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
    const full = path.join(dir, name);
    // Only files older than an hour: a transaction writing one right now has not committed yet.
    if (!known.has(name) && now.getTime() - fs.statSync(full).mtimeMs > 3600_000) {
      fs.rmSync(full, { force: true });
      orphans++;
    }
  }
  return expired.length + orphans;
}
