import { z } from 'zod';
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { ROLES, type Role } from '@/lib/vocabulary';

/** A comma-separated list: trimmed, empty entries dropped. */
const commaList = z
  .string()
  .optional()
  .transform((value) =>
    (value ?? '')
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean),
  );

/**
 * TARMO_OIDC_ROLE_MAP: `claim value=role` pairs, comma-separated, e.g.
 * `tarmo-admins=admin,tarmo-compliance=compliance,tarmo-marketing=marketer`.
 */
const roleMap = commaList.pipe(
  z.array(
    z
      .string()
      .regex(/^.+=(marketer|compliance|admin)$/, {
        message: `each entry must be value=role, role one of ${ROLES.join(', ')}`,
      })
      .transform((entry): [string, Role] => {
        const at = entry.lastIndexOf('=');
        return [entry.slice(0, at).trim(), entry.slice(at + 1) as Role];
      }),
  ),
);

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
  /** Single sign-on (OpenID Connect): all of issuer, client id and secret, or none. */
  TARMO_OIDC_ISSUER: z.string().url().optional(),
  TARMO_OIDC_CLIENT_ID: z.string().min(1).optional(),
  TARMO_OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  /** The identity provider's name on the button: "Continue with <name>". */
  TARMO_OIDC_NAME: z.string().trim().min(1).max(60).default('single sign-on'),
  TARMO_OIDC_SCOPE: z.string().trim().min(1).default('openid email profile'),
  /** The ID token claim that carries roles or groups; a dotted path reaches into objects (realm_access.roles). */
  TARMO_OIDC_ROLE_CLAIM: z.string().trim().min(1).default('groups'),
  TARMO_OIDC_ROLE_MAP: roleMap,
  /** The role of someone whose claim maps to none; unset: they are refused. */
  TARMO_OIDC_DEFAULT_ROLE: z.enum(ROLES).optional(),
  /** Email domains that may sign in by SSO (exactly these, comma-separated); required with SSO. */
  TARMO_OIDC_ALLOWED_DOMAINS: commaList.pipe(
    z.array(
      z
        .string()
        .toLowerCase()
        .regex(/^[a-z0-9.-]+\.[a-z0-9-]+$/, { message: 'each entry must be a domain like example.com' }),
    ),
  ),
  /** `0`: no password sign-in at all (form hidden, the server refuses); needs SSO. */
  TARMO_PASSWORD_LOGIN: z.enum(['0', '1']).default('1'),
});

/** Settings that only make sense together (the error names the variable to fix). */
function checkSso(env: z.infer<typeof envSchema>, context: z.RefinementCtx): void {
  const required = ['TARMO_OIDC_ISSUER', 'TARMO_OIDC_CLIENT_ID', 'TARMO_OIDC_CLIENT_SECRET'] as const;
  const set = required.filter((name) => env[name] !== undefined);
  const issue = (name: string, message: string) =>
    context.addIssue({ code: 'custom', path: [name], message });
  if (set.length > 0)
    for (const name of required)
      if (env[name] === undefined) issue(name, 'single sign-on needs issuer, client id and client secret');
  if (set.length === required.length) {
    if (env.TARMO_OIDC_ALLOWED_DOMAINS.length === 0)
      issue('TARMO_OIDC_ALLOWED_DOMAINS', 'single sign-on needs the email domains that may sign in');
    if (env.TARMO_OIDC_ROLE_MAP.length === 0 && !env.TARMO_OIDC_DEFAULT_ROLE)
      issue('TARMO_OIDC_ROLE_MAP', 'single sign-on needs a role map or a default role');
  }
  if (env.TARMO_PASSWORD_LOGIN === '0' && set.length < required.length)
    issue('TARMO_PASSWORD_LOGIN', 'password sign-in can only be turned off with single sign-on configured');
}

export type AppEnv = z.infer<typeof envSchema> & { appUrl: string; dataDir: string };

let cached: AppEnv | undefined;

/** Parsed, validated environment; throws with the offending variable named. */
export function appEnv(): AppEnv {
  if (cached) return cached;
  const parsed = envSchema.superRefine(checkSso).safeParse(process.env);
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
