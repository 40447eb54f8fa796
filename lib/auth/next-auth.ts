import type { NextAuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import { z } from 'zod';
import { attemptLogin } from './login';
import { sameOriginTarget } from './redirect-target';
import type { Role, StaffUser } from './roles';
import { persistentSecret } from '@/lib/config/env';
import { clientAddress } from '@/lib/net/client-address';
import { findUserById } from '@/db/store/users';

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
        }
        return token;
      },
      async session({ session, token }) {
        // Re-read the user so a disabled account or a changed role takes effect at once.
        const row = typeof token.uid === 'number' ? await findUserById(token.uid) : undefined;
        const staff: StaffUser | null =
          row && !row.disabled ? { id: row.id, email: row.email, name: row.name, role: row.role } : null;
        return { ...session, user: staff ?? undefined, staff } as typeof session;
      },
    },
  };
  return options;
}
