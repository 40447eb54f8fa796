'use client';
import { useActionState } from 'react';
import { createKeyAction } from './actions';
import { ShownOnceSecret } from '@/components/settings/ShownOnceSecret';

const SCOPES = [
  { value: 'read', label: 'read — customers, consents, purposes, journeys' },
  { value: 'write', label: 'write — upsert customers, record consent, send events, enroll' },
  { value: 'privacy', label: 'privacy — open and follow privacy requests' },
];

export function CreateKeyForm() {
  const [state, action, pending] = useActionState(createKeyAction, null);
  return (
    <form action={action} className="form-stack card">
      <h2 style={{ marginTop: 0 }}>New API key</h2>
      <label htmlFor="key-name">Name</label>
      <input id="key-name" name="name" required maxLength={100} placeholder="e.g. Web shop" />
      <fieldset style={{ border: 0, padding: 0, margin: '0.6rem 0 0' }}>
        <legend style={{ fontWeight: 600, fontSize: '0.9rem' }}>Scopes</legend>
        {SCOPES.map((scope) => (
          <label key={scope.value} style={{ fontWeight: 400 }}>
            <input type="checkbox" name="scopes" value={scope.value} /> {scope.label}
          </label>
        ))}
      </fieldset>
      <label htmlFor="key-expires">Expires (optional)</label>
      <input id="key-expires" name="expiresAt" type="date" />
      {state && !state.ok && (
        <p role="alert" className="error">
          {state.error.message}
        </p>
      )}
      {state?.ok && (
        <ShownOnceSecret
          message={
            <>
              Key <strong>{state.value.name}</strong> created. Copy it now: it is shown only once.
            </>
          }
          label="API key"
          id="new-key"
          testId="new-api-key"
          value={state.value.key}
        />
      )}
      <button type="submit" className="primary" disabled={pending}>
        Create key
      </button>
    </form>
  );
}
