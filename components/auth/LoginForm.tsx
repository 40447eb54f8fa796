import type { LoginError } from '@/lib/auth/login-form';

const MESSAGES: Record<LoginError, string> = {
  invalid: 'Email or password is incorrect.',
  'rate-limited': 'Too many attempts. Wait a few minutes and try again.',
  expired: 'The sign-in form had expired. Please sign in again.',
};

/**
 * The sign-in form, rendered on the server: a plain POST to /api/auth/login (no JavaScript
 * needed), which answers with a full page load of `target` or this form again with `error`.
 * The page hands in the CSRF token proxy.ts set for this request.
 */
export function LoginForm({
  target,
  csrfToken,
  error,
}: {
  target: string;
  csrfToken: string;
  error?: LoginError | null;
}) {
  return (
    <form
      method="post"
      action="/api/auth/login"
      className="form-stack"
      aria-describedby={error ? 'login-error' : undefined}
    >
      <input type="hidden" name="csrfToken" value={csrfToken} />
      <input type="hidden" name="callbackUrl" value={target} />
      <label htmlFor="email">Email</label>
      <input id="email" name="email" type="email" autoComplete="username" required />
      <label htmlFor="password">Password</label>
      <input id="password" name="password" type="password" autoComplete="current-password" required />
      {error && (
        <p id="login-error" role="alert" className="error">
          {MESSAGES[error]}
        </p>
      )}
      <button type="submit" className="primary" style={{ marginTop: '0.75rem' }}>
        Sign in
      </button>
    </form>
  );
}
