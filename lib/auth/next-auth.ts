import crypto from 'node:crypto';
import type { NextAuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import type { OAuthConfig } from 'next-auth/providers/oauth';
import { z } from 'zod';
import { attemptLogin } from './login';
import { passwordLoginEnabled, ssoConfig, SSO_PROVIDER_ID, type SsoConfig } from './sso';
import { signInWithSso } from './staff-users';
import { sameOriginTarget } from './redirect-target';
import type { Role, StaffUser } from './roles';
import { persistentSecret } from '@/lib/config/env';
import { noteRequestActor } from '@/lib/config/log';
import { clientAddress } from '@/lib/net/client-address';
import { endUserSessions, findUserById } from '@/db/store/users';
import { encode, getToken, type JWT } from 'next-auth/jwt';

const credentialsSchema = z.object({
  email: z.string().email().max(320),
  password: z.string().min(1).max(1000),
});

let options: NextAuthOptions | undefined;

/** Forgets the built options; for tests that change the environment (with resetAppEnv). */
export function resetAuthOptions(): void {
  options = undefined;
}

/**
 * The identity provider as next-auth's OAuth provider with OIDC discovery: authorization code with
 * PKCE and state, the ID token's claims as the profile (the role claim must be in the ID token).
 */
function oidcProvider(config: SsoConfig): OAuthConfig<Record<string, unknown>> {
  return {
    id: config.id,
    name: config.name,
    type: 'oauth',
    wellKnown: `${config.issuer}/.well-known/openid-configuration`,
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    authorization: { params: { scope: config.scope } },
    idToken: true,
    checks: ['pkce', 'state'],
    httpOptions: { timeout: 10_000 },
    profile(profile) {
      return {
        id: String(profile.sub),
        email: typeof profile.email === 'string' ? profile.email : null,
        name: typeof profile.name === 'string' ? profile.name : null,
      };
    },
  };
}

/** Password sign-in unless turned off (TARMO_PASSWORD_LOGIN=0), single sign-on when configured. */
function providers(): NextAuthOptions['providers'] {
  const sso = ssoConfig();
  return [
    ...(passwordLoginEnabled()
      ? [
          CredentialsProvider({
            name: 'Email and password',
            credentials: {
              email: { label: 'Email', type: 'email' },
              password: { label: 'Password', type: 'password' },
            },
            async authorize(credentials, req) {
              const parsed = credentialsSchema.safeParse(credentials);
              if (!parsed.success) return null;
              const result = await attemptLogin(
                parsed.data.email,
                parsed.data.password,
                clientAddress(req?.headers),
              );
              if (!result.ok) {
                if (result.reason === 'rate-limited') throw new Error('rate-limited');
                return null;
              }
              return {
                id: String(result.user.id),
                email: result.user.email,
                name: result.user.name,
                role: result.user.role,
                sessionVersion: result.sessionVersion,
              };
            },
          }),
        ]
      : []),
    ...(sso ? [oidcProvider(sso)] : []),
  ];
}

const SESSION_MAX_AGE_SECONDS = 8 * 60 * 60;

/**
 * Secure (`__Secure-`) cookies when the app is served over HTTPS, as next-auth decides by default
 * from NEXTAUTH_URL; set explicitly so the sign-in route (sessionCookieFor) names the cookie the
 * same way next-auth reads it.
 */
function secureCookies(): boolean {
  return (process.env.NEXTAUTH_URL ?? '').startsWith('https://');
}

export function authOptions(): NextAuthOptions {
  options ??= {
    secret: persistentSecret('auth-secret'),
    session: { strategy: 'jwt', maxAge: SESSION_MAX_AGE_SECONDS },
    useSecureCookies: secureCookies(),
    pages: { signIn: '/login', error: '/login' },
    providers: providers(),
    callbacks: {
      /**
       * Single sign-on: the provider's claims decide (lib/auth/sso), the account is created or
       * updated (lib/auth/staff-users), and its id, role and session version go on to the jwt
       * callback on the user object (next-auth passes the same object on without an adapter).
       * A refusal lands on the sign-in page with its reason. Passwords only while turned on.
       */
      async signIn({ user, account, profile }) {
        if (account?.provider !== SSO_PROVIDER_ID) return passwordLoginEnabled();
        const result = await signInWithSso(profile);
        if (!result.ok)
          return `/login?error=${result.reason === 'off' ? 'sso-failed' : `sso-${result.reason}`}`;
        Object.assign(user, {
          id: String(result.user.id),
          email: result.user.email,
          name: result.user.name,
          role: result.user.role,
          sessionVersion: result.sessionVersion,
        });
        return true;
      },
      // Sign-in and sign-out take callbackUrl from the request: only this origin, else the default.
      redirect({ url, baseUrl }) {
        return new URL(sameOriginTarget(url, baseUrl), baseUrl).toString();
      },
      async jwt({ token, user }) {
        if (user) {
          token.uid = Number(user.id);
          token.role = (user as { role?: Role }).role;
          token.sv = (user as { sessionVersion?: number }).sessionVersion;
        }
        return token;
      },
      async session({ session, token }) {
        const staff = await staffOfToken(token);
        return { ...session, user: staff ?? undefined, staff } as typeof session;
      },
    },
    events: {
      // Signing out ends the session on the server too: a copied cookie stops working.
      async signOut({ token }) {
        if (typeof token?.uid === 'number') await endUserSessions(token.uid);
      },
    },
  };
  return options;
}

/**
 * The session cookie for a staff member who just signed in through the sign-in form
 * (app/api/auth/login): the same token next-auth's credentials callback would issue (the claims its
 * jwt callback adds, encrypted with the same secret and lifetime), under next-auth's cookie name
 * and options, so getServerSession reads it like one of its own.
 */
export async function sessionCookieFor(
  user: StaffUser,
  sessionVersion: number,
  now = Date.now(),
): Promise<{
  name: string;
  value: string;
  options: { httpOnly: true; sameSite: 'lax'; path: '/'; secure: boolean; expires: Date };
}> {
  const secure = secureCookies();
  const token: JWT = {
    name: user.name,
    email: user.email,
    sub: String(user.id),
    uid: user.id,
    role: user.role,
    sv: sessionVersion,
  };
  const value = await encode({
    token,
    secret: persistentSecret('auth-secret'),
    maxAge: SESSION_MAX_AGE_SECONDS,
  });
  return {
    name: `${secure ? '__Secure-' : ''}next-auth.session-token`,
    value,
    options: {
      httpOnly: true,
      sameSite: 'lax',
      path: '/',
      secure,
      expires: new Date(now + SESSION_MAX_AGE_SECONDS * 1000),
    },
  };
}

/**
 * The staff member a session token stands for, re-read on every request: none when the account
 * was disabled, or when its session version moved on since sign-in (sign-out, a role or password
 * change, disabling), so such a change ends existing sessions at once.
 */
export async function staffOfToken(token: JWT | null | undefined): Promise<StaffUser | null> {
  const row = typeof token?.uid === 'number' ? await findUserById(token.uid) : undefined;
  if (!row || row.disabled || row.sessionVersion !== token?.sv) return null;
  noteRequestActor({ userId: row.id });
  return { id: row.id, email: row.email, name: row.name, role: row.role };
}

/**
 * The session token of a request, decoded and verified (null without a valid one). For a
 * long-lived response (a stream) that must re-check its session after the request scope ended.
 */
export async function sessionTokenOf(request: Request): Promise<JWT | null> {
  const cookies: Record<string, string> = {};
  for (const part of (request.headers.get('cookie') ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0) cookies[part.slice(0, at).trim()] = part.slice(at + 1).trim();
  }
  return await getToken({
    req: { headers: request.headers, cookies } as unknown as Parameters<typeof getToken>[0]['req'],
    secret: persistentSecret('auth-secret'),
  });
}

/** Whether a session token is still good now: not expired, and its staff member unchanged. */
export async function staffOfTokenNow(token: JWT | null, now = Date.now()): Promise<StaffUser | null> {
  if (!token || (typeof token.exp === 'number' && token.exp * 1000 <= now)) return null;
  return await staffOfToken(token);
}

/**
 * next-auth's CSRF cookie for a token the sign-in page already handed out (the login form's
 * double-submit token): `token|sha256(token + secret)`, as next-auth 4 checks it on a POST to
 * /api/auth/signin/<provider>. Lets the server-rendered "Continue with …" form start next-auth's
 * OAuth flow without a client-side fetch of /api/auth/csrf (app/api/auth/sso).
 */
export function nextAuthCsrfCookieFor(token: string): {
  name: string;
  value: string;
  options: { httpOnly: true; sameSite: 'lax'; path: '/'; secure: boolean };
} {
  const secure = secureCookies();
  const hash = crypto
    .createHash('sha256')
    .update(`${token}${persistentSecret('auth-secret')}`)
    .digest('hex');
  return {
    name: `${secure ? '__Host-' : ''}next-auth.csrf-token`,
    value: `${token}|${hash}`,
    options: { httpOnly: true, sameSite: 'lax', path: '/', secure },
  };
}
