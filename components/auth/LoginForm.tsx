'use client';
import { signIn } from 'next-auth/react';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useState } from 'react';
import { sameOriginTarget } from '@/lib/auth/redirect-target';

export function LoginForm() {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    const result = await signIn('credentials', {
      email: String(form.get('email') ?? ''),
      password: String(form.get('password') ?? ''),
      redirect: false,
    });
    setBusy(false);
    if (!result || result.error) {
      setError(
        result?.error === 'rate-limited'
          ? 'Too many attempts. Wait a few minutes and try again.'
          : 'Email or password is incorrect.',
      );
      return;
    }
    // Only a page of this app: a callbackUrl pointing elsewhere goes to the default page.
    const requested = params.get('callbackUrl') ?? (pathname === '/login' ? null : pathname);
    router.replace(sameOriginTarget(requested, window.location.origin));
    router.refresh();
  }

  return (
    <form onSubmit={onSubmit} className="form-stack" aria-describedby={error ? 'login-error' : undefined}>
      <label htmlFor="email">Email</label>
      <input id="email" name="email" type="email" autoComplete="username" required />
      <label htmlFor="password">Password</label>
      <input id="password" name="password" type="password" autoComplete="current-password" required />
      {error && (
        <p id="login-error" role="alert" className="error">
          {error}
        </p>
      )}
      <button type="submit" className="primary" disabled={busy} style={{ marginTop: '0.75rem' }}>
        {busy ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}
