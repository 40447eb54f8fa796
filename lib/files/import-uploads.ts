import fs from 'node:fs';
import path from 'node:path';
import { getDb } from '@/db/client';
import { importJobsForFiles } from '@/db/store/lifecycle';
import { appEnv } from '@/lib/config/env';

// Uploaded CSV files in the data directory: written by the import (lib/import), pruned by the
// lifecycle jobs and searched by erasure (lib/privacy). Below all three, so none imports another.

/** An upload left after a dry run that nobody followed up is deleted after this long. */
export const IMPORT_UPLOAD_TTL_MS = 60 * 60_000;

export function importsDir(): string {
  return path.join(/*turbopackIgnore: true*/ appEnv().dataDir, 'imports');
}

function uploadFiles(): { file: string; jobId: number | null; ageMs: number }[] {
  const dir = importsDir();
  if (!fs.existsSync(dir)) return [];
  const now = Date.now();
  return fs.readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    try {
      const match = /^(\d+)\.csv$/.exec(name);
      return [{ file, jobId: match ? Number(match[1]) : null, ageMs: now - fs.statSync(file).mtimeMs }];
    } catch {
      return [];
    }
  });
}

/**
 * Uploaded CSV files hold whole customer lists: a real import deletes its file when it is done;
 * this removes what is left: files of finished imports, of failed runs or dry runs not followed up
 * within IMPORT_UPLOAD_TTL_MS, and files no job knows. A running job's file is left alone.
 */
export async function pruneImportUploads(ttlMs = IMPORT_UPLOAD_TTL_MS): Promise<number> {
  const files = uploadFiles();
  const jobs = new Map(
    (
      await importJobsForFiles(
        getDb(),
        files.flatMap((f) => (f.jobId ? [f.jobId] : [])),
      )
    ).map((j) => [j.id, j]),
  );
  let deleted = 0;
  for (const { file, jobId, ageMs } of files) {
    const job = jobId ? jobs.get(jobId) : undefined;
    const stale = !job
      ? ageMs > ttlMs
      : job.status === 'running'
        ? false
        : (job.status === 'done' && !job.dryRun) || ageMs > ttlMs;
    if (!stale) continue;
    fs.rmSync(file, { force: true });
    deleted++;
  }
  return deleted;
}

/** Erasure: every upload still on disk that mentions the address is deleted, whatever its job. */
export function deleteUploadsMentioning(address: string): number {
  const needle = address.trim().toLowerCase();
  if (!needle) return 0;
  let deleted = 0;
  for (const { file } of uploadFiles()) {
    let mentions = false;
    try {
      mentions = fs.readFileSync(file, 'utf8').toLowerCase().includes(needle);
    } catch {
      continue;
    }
    if (mentions) {
      fs.rmSync(file, { force: true });
      deleted++;
    }
  }
  return deleted;
}
