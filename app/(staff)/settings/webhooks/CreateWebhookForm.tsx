'use client';
import { useActionState } from 'react';
import { createWebhookAction } from './actions';
import { ShownOnceSecret } from '@/components/settings/ShownOnceSecret';

const EVENTS = [
  { value: 'consent.changed', label: 'consent.changed — a grant, withdrawal, objection or expiry' },
  { value: 'customer.erased', label: 'customer.erased — erase the person in your system too' },
  { value: 'block.changed', label: 'block.changed — a contact block set or lifted' },
  { value: 'privacy_request.updated', label: 'privacy_request.updated — a request changed status' },
];

export function CreateWebhookForm() {
  const [state, action, pending] = useActionState(createWebhookAction, null);
  return (
    <form action={action} className="form-stack card">
      <h2 style={{ marginTop: 0 }}>New subscription</h2>
      <label htmlFor="hook-name">Name</label>
      <input id="hook-name" name="name" required maxLength={100} placeholder="e.g. CRM" />
      <label htmlFor="hook-url">Endpoint URL</label>
      <input id="hook-url" name="url" type="url" required placeholder="https://crm.example/hooks/tarmo" />
      <fieldset style={{ border: 0, padding: 0, margin: '0.6rem 0 0' }}>
        <legend style={{ fontWeight: 600, fontSize: '0.9rem' }}>Events</legend>
        {EVENTS.map((event) => (
          <label key={event.value} style={{ fontWeight: 400 }}>
            <input type="checkbox" name="events" value={event.value} /> {event.label}
          </label>
        ))}
      </fieldset>
      {state && !state.ok && (
        <p role="alert" className="error">
          {state.error.message}
        </p>
      )}
      {state?.ok && (
        <ShownOnceSecret
          message="Subscription created. Copy the signing secret now: it is shown only once."
          label="Signing secret"
          id="new-secret"
          testId="new-webhook-secret"
          value={state.value.secret}
        />
      )}
      <button type="submit" className="primary" disabled={pending}>
        Add subscription
      </button>
    </form>
  );
}
