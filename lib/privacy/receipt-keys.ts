import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import {
  calculateJwkThumbprint,
  exportJWK,
  generateKeyPair,
  importJWK,
  type CryptoKey,
  type JSONWebKeySet,
  type JWK,
} from 'jose';
import { appEnv } from '@/lib/config/env';
import { ensurePrivateDir, PRIVATE_FILE_MODE } from '@/lib/config/private-files';

/**
 * The Ed25519 keys that sign consent receipts (JWS `EdDSA`, RFC 8037). Generated into
 * `<data dir>/secrets/receipt-keys.json` on first use, like the ledger key; the newest key signs,
 * every older one stays published in the JWKS so receipts signed before a rotation still verify.
 * `npm run receipt:rotate-key` adds a new key. Every process re-reads the file when it changes.
 */
export type ReceiptKeyEntry = { kid: string; createdAt: string; privateJwk: JWK; publicJwk: JWK };
type KeyFile = { keys: ReceiptKeyEntry[] };

export const RECEIPT_ALG = 'EdDSA';

export function receiptKeysFile(dataDir = appEnv().dataDir): string {
  return path.join(/*turbopackIgnore: true*/ dataDir, 'secrets', 'receipt-keys.json');
}

async function newKeyEntry(now = new Date()): Promise<ReceiptKeyEntry> {
  const { privateKey, publicKey } = await generateKeyPair(RECEIPT_ALG, { crv: 'Ed25519', extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  return { kid, createdAt: now.toISOString(), privateJwk: await exportJWK(privateKey), publicJwk };
}

function readKeyFile(file: string): KeyFile | null {
  let text: string;
  try {
    text = fs.readFileSync(/*turbopackIgnore: true*/ file, 'utf8');
  } catch {
    return null;
  }
  const parsed = JSON.parse(text) as KeyFile;
  if (!Array.isArray(parsed.keys) || parsed.keys.length === 0) throw new Error(`${file} holds no keys`);
  return parsed;
}

/** Writes the whole file atomically (a temporary file renamed over it), owner-only. */
function writeKeyFile(file: string, content: KeyFile, exclusive: boolean): boolean {
  ensurePrivateDir(path.dirname(file));
  const tmp = `${file}.${process.pid}.${crypto.randomBytes(6).toString('hex')}.tmp`;
  fs.writeFileSync(/*turbopackIgnore: true*/ tmp, JSON.stringify(content, null, 2), {
    flag: 'wx',
    mode: PRIVATE_FILE_MODE,
  });
  try {
    if (exclusive) {
      // First key: another process may be creating it at the same moment; the first one wins.
      try {
        fs.linkSync(/*turbopackIgnore: true*/ tmp, file);
      } catch {
        return false;
      }
      return true;
    }
    fs.renameSync(/*turbopackIgnore: true*/ tmp, file);
    return true;
  } finally {
    fs.rmSync(/*turbopackIgnore: true*/ tmp, { force: true });
  }
}

type Loaded = { mtimeMs: number; file: KeyFile; signing?: { kid: string; key: CryptoKey } };
const cache = new Map<string, Loaded>();

async function loadKeys(dataDir?: string): Promise<Loaded> {
  const file = receiptKeysFile(dataDir);
  let stat: fs.Stats | null = null;
  try {
    stat = fs.statSync(/*turbopackIgnore: true*/ file);
  } catch {
    stat = null;
  }
  if (!stat) {
    writeKeyFile(file, { keys: [await newKeyEntry()] }, true);
    stat = fs.statSync(/*turbopackIgnore: true*/ file);
  }
  const cached = cache.get(file);
  if (cached && cached.mtimeMs === stat.mtimeMs) return cached;
  const content = readKeyFile(file);
  if (!content) throw new Error(`${file} could not be read`);
  const loaded: Loaded = { mtimeMs: stat.mtimeMs, file: content };
  cache.set(file, loaded);
  return loaded;
}

/** The newest key, for signing. */
export async function signingKey(dataDir?: string): Promise<{ kid: string; key: CryptoKey }> {
  const loaded = await loadKeys(dataDir);
  if (!loaded.signing) {
    const newest = loaded.file.keys[loaded.file.keys.length - 1]!;
    loaded.signing = {
      kid: newest.kid,
      key: (await importJWK({ ...newest.privateJwk, alg: RECEIPT_ALG }, RECEIPT_ALG)) as CryptoKey,
    };
  }
  return loaded.signing;
}

/** Every public key ever used (newest first), as the JWKS published at /.well-known/tarmo-receipt-keys.json. */
export async function receiptJwks(dataDir?: string): Promise<JSONWebKeySet> {
  return publicSet((await loadKeys(dataDir)).file);
}

/** The published keys as they are on disk, without creating any (for verifying): null when there are none. */
export function readReceiptJwks(dataDir?: string): JSONWebKeySet | null {
  const content = readKeyFile(receiptKeysFile(dataDir));
  return content ? publicSet(content) : null;
}

function publicSet(content: KeyFile): JSONWebKeySet {
  return {
    keys: [...content.keys].reverse().map((k) => ({
      kty: k.publicJwk.kty,
      crv: k.publicJwk.crv,
      x: k.publicJwk.x,
      kid: k.kid,
      alg: RECEIPT_ALG,
      use: 'sig',
    })),
  };
}

/** Adds a new signing key; the old ones stay published. Returns the new key id. */
export async function rotateReceiptKey(dataDir?: string, now = new Date()): Promise<string> {
  const current = await loadKeys(dataDir);
  const entry = await newKeyEntry(now);
  writeKeyFile(receiptKeysFile(dataDir), { keys: [...current.file.keys, entry] }, false);
  // mtime resolution can hide a change made within the same tick: forget the cache outright.
  cache.delete(receiptKeysFile(dataDir));
  return entry.kid;
}
