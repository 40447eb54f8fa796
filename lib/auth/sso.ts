import { z } from 'zod';
import { appEnv } from '@/lib/config/env';
import { ROLES, type Role } from '@/lib/vocabulary';

/**
 * Single sign-on by OpenID Connect (next-auth's OAuth provider with OIDC discovery), configured by
 * environment (lib/config/env: TARMO_OIDC_*). The rules for who may come in and as what are here,
 * pure, so they are tested without a provider (sso.test.ts); e2e/sso.spec.ts runs them against a
 * real one.
 */
export type SsoConfig = {
  /** next-auth's provider id: the callback is /api/auth/callback/oidc. */
  id: 'oidc';
  name: string;
  issuer: string;
  clientId: string;
  clientSecret: string;
  scope: string;
  roleClaim: string;
  roleMap: ReadonlyMap<string, Role>;
  defaultRole?: Role;
  allowedDomains: readonly string[];
};

export const SSO_PROVIDER_ID = 'oidc';

/** The configured single sign-on, or null when TARMO_OIDC_ISSUER is unset. */
export function ssoConfig(): SsoConfig | null {
  const env = appEnv();
  if (!env.TARMO_OIDC_ISSUER || !env.TARMO_OIDC_CLIENT_ID || !env.TARMO_OIDC_CLIENT_SECRET) return null;
  return {
    id: SSO_PROVIDER_ID,
    name: env.TARMO_OIDC_NAME,
    issuer: env.TARMO_OIDC_ISSUER.replace(/\/$/, ''),
    clientId: env.TARMO_OIDC_CLIENT_ID,
    clientSecret: env.TARMO_OIDC_CLIENT_SECRET,
    scope: env.TARMO_OIDC_SCOPE,
    roleClaim: env.TARMO_OIDC_ROLE_CLAIM,
    roleMap: new Map(env.TARMO_OIDC_ROLE_MAP),
    defaultRole: env.TARMO_OIDC_DEFAULT_ROLE,
    allowedDomains: env.TARMO_OIDC_ALLOWED_DOMAINS,
  };
}

/** Whether staff may sign in with a password (TARMO_PASSWORD_LOGIN, default on). */
export function passwordLoginEnabled(): boolean {
  return appEnv().TARMO_PASSWORD_LOGIN !== '0';
}

/**
 * The origin a sign-in form submission may be redirected to (the staff pages' CSP `form-action`):
 * the identity provider's. Its authorization endpoint must be on the issuer's origin.
 */
export function ssoFormActionOrigin(): string | null {
  const config = ssoConfig();
  return config ? new URL(config.issuer).origin : null;
}

/** Most privileged first: someone in several mapped groups gets the most privileged role. */
const PRIVILEGE: readonly Role[] = ['admin', 'compliance', 'marketer'];

export type SsoRefusal = 'email' | 'domain' | 'role';
export type SsoDecision =
  { ok: true; email: string; name: string; role: Role } | { ok: false; reason: SsoRefusal };

const profileSchema = z.object({
  email: z.string().trim().toLowerCase().email().max(320),
  /** Refused only when the provider says outright it is not verified (many do not send it). */
  email_verified: z.union([z.boolean(), z.literal('true'), z.literal('false')]).optional(),
  name: z.string().trim().max(200).optional(),
});

/** The claim at a dotted path (`realm_access.roles`), as a list of strings. */
export function claimValues(profile: unknown, claim: string): string[] {
  let value: unknown = profile;
  for (const key of claim.split('.')) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return [];
    value = (value as Record<string, unknown>)[key];
  }
  if (typeof value === 'string') return value.split(/[\s,]+/).filter(Boolean);
  if (Array.isArray(value)) return value.filter((entry): entry is string => typeof entry === 'string');
  return [];
}

/** The role the claim's values map to (the most privileged when several do), else the default. */
export function roleForClaims(
  values: readonly string[],
  roleMap: ReadonlyMap<string, Role>,
  defaultRole?: Role,
): Role | null {
  const mapped = new Set(values.flatMap((value) => roleMap.get(value) ?? []));
  return PRIVILEGE.find((role) => mapped.has(role)) ?? defaultRole ?? null;
}

/** Whether the address's domain is one of the allowed ones, exactly (no subdomains, no suffix tricks). */
export function emailDomainAllowed(email: string, allowedDomains: readonly string[]): boolean {
  const at = email.lastIndexOf('@');
  if (at < 1) return false;
  const domain = email
    .slice(at + 1)
    .trim()
    .toLowerCase()
    .replace(/\.$/, '');
  return allowedDomains.some((allowed) => allowed.toLowerCase() === domain);
}

/**
 * Who an identity provider's profile (the ID token's claims) may sign in as: refused without a
 * verified-looking email, outside the allowed domains, or without a role; otherwise the email,
 * name and mapped role.
 */
export function decideSsoSignIn(
  profile: unknown,
  config: Pick<SsoConfig, 'roleClaim' | 'roleMap' | 'defaultRole' | 'allowedDomains'>,
): SsoDecision {
  const parsed = profileSchema.safeParse(profile);
  if (!parsed.success) return { ok: false, reason: 'email' };
  const { email, email_verified: verified, name } = parsed.data;
  if (verified === false || verified === 'false') return { ok: false, reason: 'email' };
  if (!emailDomainAllowed(email, config.allowedDomains)) return { ok: false, reason: 'domain' };
  const role = roleForClaims(claimValues(profile, config.roleClaim), config.roleMap, config.defaultRole);
  if (!role || !ROLES.includes(role)) return { ok: false, reason: 'role' };
  return { ok: true, email, name: name ?? '', role };
}
