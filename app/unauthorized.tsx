import { Suspense } from 'react';
import { LoginForm } from '@/components/auth/LoginForm';

export default function Unauthorized() {
  return (
    <main className="login-page">
      <div className="card">
        <h1>Sign in to Tarmo</h1>
        <p className="muted">This page is for Tarmo staff.</p>
        <Suspense>
          <LoginForm />
        </Suspense>
      </div>
    </main>
  );
}
