import fs from 'node:fs';

/**
 * The data directory holds the database, its WAL, secrets, exports and uploads: personal data
 * and keys. Everything Tarmo creates there is for the owner only (directories 0700, files 0600),
 * whatever the process's umask.
 */
export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** Creates a directory (and missing parents) for the owner only; an existing one is left as it is. */
export function ensurePrivateDir(dir: string): void {
  fs.mkdirSync(/*turbopackIgnore: true*/ dir, { recursive: true, mode: PRIVATE_DIR_MODE });
}

/**
 * Creates the file empty for the owner only if it does not exist, and takes away group and other
 * access from one that does (a database created before this rule). Owner-only files stay as they are.
 */
export function ensurePrivateFile(file: string): void {
  fs.closeSync(fs.openSync(/*turbopackIgnore: true*/ file, 'a', PRIVATE_FILE_MODE));
  const mode = fs.statSync(/*turbopackIgnore: true*/ file).mode & 0o777;
  if (mode & 0o077) fs.chmodSync(/*turbopackIgnore: true*/ file, mode & 0o700);
}
