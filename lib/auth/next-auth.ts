import type { NextAuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import { z } from 'zod';
import { attemptLogin } from './login';
import { sameOriginTarget } from './redirect-target';
import type { Role, StaffUser } from './roles';
import { persistentSecret } from '@/lib/config/env';
import { noteRequestActor } from '@/lib/config/log';
import { clientAddress } from '@/lib/net/client-address';
import { endUserSessions, findUserById } from '@/db/store/users';
import { getToken, type JWT } from 'next-auth/jwt';

const credentialsSchema = z.object({
  email: z.string().email().max(320),
  password: z.string().min(1).max(1000),
});

let options: NextAuthOptions | undefined;

export function authOptions(): NextAuthOptions {
  options ??= {
    secret: persistentSecret('auth-secret'),
    session: { strategy: 'jwt', maxAge: 8 * 60 * 60 },
    pages: { signIn: '/login', error: '/login' },
    providers: [
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
    ],
    callbacks: {
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
