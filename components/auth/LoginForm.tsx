import type { LoginError } from '@/lib/auth/login-form';

const MESSAGES: Record<LoginError, string> = {
  invalid: 'Email or password is incorrect.',
  'rate-limited': 'Too many attempts. Wait a few minutes and try again.',
  expired: 'The sign-in form had expired. Please sign in again.',
  'password-off': 'Sign-in with a password is turned off here. Use single sign-on.',
  'sso-domain':
    'Your organisation account signed in, but accounts from its email domain may not use Tarmo. Ask your Tarmo administrator.',
  'sso-role':
    'Your organisation account signed in, but it has no Tarmo role yet. Ask your administrator to add you to a Tarmo group.',
  'sso-email': 'Your organisation account has no verified email address, so Tarmo cannot sign you in.',
  'sso-disabled': 'Your Tarmo account is disabled. Ask your Tarmo administrator.',
  'sso-failed': 'Single sign-on did not complete. Please try again.',
};

/**
 * The sign-in form, rendered on the server: a plain POST to /api/auth/login (no JavaScript
 * needed), which answers with a full page load of `target` or this form again with `error`.
 * The page hands in the CSRF token proxy.ts set for this request. With single sign-on configured,
 * a "Continue with <provider>" form posts to /api/auth/sso (same token, same target), which hands
 * over to next-auth and the identity provider; with password sign-in turned off it is the only one.
 */
export function LoginForm({
  target,
  csrfToken,
  error,
  ssoName,
  passwordLogin = true,
}: {
  target: string;
  csrfToken: string;
  error?: LoginError | null;
  /** The identity provider's name, when single sign-on is configured. */
  ssoName?: string | null;
  passwordLogin?: boolean;
}) {
  const alert = error && (
    <p id="login-error" role="alert" className="error">
      {MESSAGES[error]}
    </p>
  );
  return (
    <>
      {passwordLogin ? (
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
          {alert}
          <button type="submit" className="primary" style={{ marginTop: '0.75rem' }}>
            Sign in
          </button>
        </form>
      ) : (
        alert
      )}
      {ssoName && (
        <form method="post" action="/api/auth/sso" className="form-stack" style={{ marginTop: '1rem' }}>
          {passwordLogin && <p className="muted">Or use your organisation account:</p>}
          <input type="hidden" name="csrfToken" value={csrfToken} />
          {/* Without a target, `/` sends each role to its start page after signing in. */}
          <input type="hidden" name="callbackUrl" value={target || '/'} />
          <button type="submit" className={passwordLogin ? undefined : 'primary'}>
            {`Continue with ${ssoName}`}
          </button>
        </form>
      )}
    </>
  );
}
