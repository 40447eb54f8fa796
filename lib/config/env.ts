import { z } from 'zod';
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';

const envSchema = z.object({
  DATABASE_URL: z.string().default('file:./data/tarmo.db'),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  APP_URL: z.string().url().optional(),
  AUTH_SECRET: z.string().min(32).optional(),
  SMTP_URL: z.string().optional(),
  MAIL_FROM: z.string().default('Tarmo <no-reply@tarmo.localhost>'),
  /** The controller's postal address, printed in the legally required footer of every marketing mail. */
  TARMO_CONTROLLER_ADDRESS: z.string().trim().min(1).max(300).default('Kauppatie 1, 00100 Helsinki, Finland'),
  TARMO_SEED_DEMO: z.enum(['0', '1']).optional(),
  TARMO_DATA_DIR: z.string().optional(),
  /** The shared secret of POST /api/v1/deliverability/{provider}; generated into data/secrets if unset. */
  TARMO_DELIVERABILITY_SECRET: z.string().min(16).optional(),
  /** A port for the inbound SMTP listener that reads bounce reports (DSNs); unset: no listener. */
  TARMO_BOUNCE_SMTP_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  OPTIN_EXPIRY_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 30)
    .default(72),
});

export type AppEnv = z.infer<typeof envSchema> & { appUrl: string; dataDir: string };

let cached: AppEnv | undefined;

/** Parsed, validated environment; throws with the offending variable named. */
export function appEnv(): AppEnv {
  if (cached) return cached;
  const parsed = envSchema.safeParse(process.env);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new Error(`Invalid environment variable ${String(first?.path[0])}: ${first?.message}`);
  }
  const env = parsed.data;
  cached = {
    ...env,
    appUrl: (env.APP_URL ?? `http://localhost:${env.PORT}`).replace(/\/$/, ''),
    dataDir: path.resolve(/*turbopackIgnore: true*/ env.TARMO_DATA_DIR ?? dataDirFromUrl(env.DATABASE_URL)),
  };
  return cached;
}

/** Resets the cache; for tests that change process.env. */
export function resetAppEnv(): void {
  cached = undefined;
}

function dataDirFromUrl(url: string): string {
  if (url.startsWith('file:')) return path.dirname(sqlitePathFromUrl(url));
  return './data';
}

export function sqlitePathFromUrl(url: string): string {
  return path.resolve(/*turbopackIgnore: true*/ url.replace(/^file:(\/\/)?/, ''));
}

/**
 * A secret taken from the environment, or generated once into data/ (git-ignored) so that
 * a fresh clone never runs with a fixed secret from the code.
 */
export function persistentSecret(
  name: 'auth-secret' | 'ledger-key' | 'tombstone-key' | 'rate-limit-key' | 'deliverability-secret',
): string {
  const env = appEnv();
  if (name === 'auth-secret' && env.AUTH_SECRET) return env.AUTH_SECRET;
  if (name === 'deliverability-secret' && env.TARMO_DELIVERABILITY_SECRET)
    return env.TARMO_DELIVERABILITY_SECRET;
  const file = path.join(/*turbopackIgnore: true*/ env.dataDir, 'secrets', name);
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    const secret = crypto.randomBytes(32).toString('base64url');
    try {
      fs.writeFileSync(file, secret, { flag: 'wx', mode: 0o600 });
      return secret;
    } catch {
      // Another process created it first: use theirs.
      return fs.readFileSync(file, 'utf8').trim();
    }
  }
}
