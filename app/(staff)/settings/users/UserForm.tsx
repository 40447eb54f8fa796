'use client';
import { useActionState } from 'react';
import { saveUserAction } from './actions';
import { ROLE_LABELS } from '@/lib/auth/roles';

export function UserForm() {
  const [result, action, pending] = useActionState(saveUserAction, null);
  return (
    <form action={action} className="form-stack card">
      <h2 style={{ marginTop: 0 }}>Add or update a user</h2>
      <label htmlFor="user-email">Email</label>
      <input id="user-email" name="email" type="email" required />
      <label htmlFor="user-name">Name</label>
      <input id="user-name" name="name" />
      <label htmlFor="user-role">Role</label>
      <select id="user-role" name="role" defaultValue="marketer">
        {Object.entries(ROLE_LABELS).map(([role, label]) => (
          <option key={role} value={role}>
            {label}
          </option>
        ))}
      </select>
      <label htmlFor="user-password">Password</label>
      <input
        id="user-password"
        name="password"
        type="password"
        minLength={10}
        required
        autoComplete="new-password"
      />
      {result && (
        <p role="status" className={result.ok ? '' : 'error'}>
          {result.ok ? result.value : result.error.message}
        </p>
      )}
      <button type="submit" className="primary" disabled={pending}>
        Save user
      </button>
    </form>
  );
}
