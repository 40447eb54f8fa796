import { redirect } from 'next/navigation';
import { LoginForm } from '@/components/auth/LoginForm';
import { currentStaff } from '@/app/_lib/session';
import { loginFormRequest } from '@/app/_lib/login-form';
import { loginErrorOf } from '@/lib/auth/login-form';
import { sameOriginTarget } from '@/lib/auth/redirect-target';
import { startPageFor } from '@/lib/auth/roles';

export const metadata = { title: 'Sign in' };
export const dynamic = 'force-dynamic';

type Search = Promise<Record<string, string | string[] | undefined>>;

function first(value: string | string[] | undefined): string {
  return (Array.isArray(value) ? value[0] : value) ?? '';
}

export default async function LoginPage({ searchParams }: { searchParams: Search }) {
  const search = await searchParams;
  const target = first(search.callbackUrl) || first(search.next);
  const staff = await currentStaff();
  // Already signed in: straight on to the page asked for or the start page. Only a relative path
  // counts here (the placeholder origin never matches an absolute URL).
  if (staff) redirect(sameOriginTarget(target, 'http://same.origin', startPageFor(staff.role)));
  const { csrfToken, ssoName, passwordLogin } = await loginFormRequest();
  return (
    <main className="login-page">
      <div className="card">
        <h1>Sign in to Tarmo</h1>
        <LoginForm
          target={target}
          csrfToken={csrfToken}
          error={loginErrorOf(first(search.error))}
          ssoName={ssoName}
          passwordLogin={passwordLogin}
        />
      </div>
    </main>
  );
}
