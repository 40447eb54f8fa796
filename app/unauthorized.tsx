import { LoginForm } from '@/components/auth/LoginForm';
import { loginFormRequest } from '@/app/_lib/login-form';

/**
 * A staff page asked for without a session answers 401 with the sign-in form at the same address;
 * signing in returns to it (a full page load, see app/api/auth/login).
 */
export default async function Unauthorized() {
  const { csrfToken, requestPath, ssoName, passwordLogin } = await loginFormRequest();
  return (
    <main className="login-page">
      <div className="card">
        <h1>Sign in to Tarmo</h1>
        <p className="muted">This page is for Tarmo staff.</p>
        <LoginForm
          target={requestPath}
          csrfToken={csrfToken}
          ssoName={ssoName}
          passwordLogin={passwordLogin}
        />
      </div>
    </main>
  );
}
