'use client';
import { useActionState } from 'react';
import type { WorkspaceLayout } from '@/lib/messages/layout';
import { saveLayoutAction, saveTestAddressesAction, type SettingsFormState } from './actions';

function Outcome({ state, testId }: { state: SettingsFormState; testId: string }) {
  if (!state) return null;
  return state.ok ? (
    <p role="status" data-testid={testId}>
      {state.value.message}
    </p>
  ) : (
    <p role="alert" className="error">
      {state.error.field ? `${state.error.field}: ` : ''}
      {state.error.message}
    </p>
  );
}

export function LayoutForm({ layout, readOnly }: { layout: WorkspaceLayout; readOnly: boolean }) {
  const [state, action, pending] = useActionState(saveLayoutAction, null);
  return (
    <form action={action} className="form-stack card" aria-labelledby="layout-heading">
      <h2 id="layout-heading" style={{ marginTop: 0 }}>
        Layout
      </h2>
      <p className="muted">
        The frame of every mail (simple-mode messages get the header; MJML messages bring their own). The
        legally required footer (who sends, why, unsubscribe and preference links, address) is always added
        below your footer text and cannot be changed here.
      </p>
      <label htmlFor="layout-header">Header text</label>
      <input id="layout-header" name="headerText" maxLength={200} defaultValue={layout.headerText} />
      <label htmlFor="layout-color">Brand colour</label>
      <input
        id="layout-color"
        name="brandColor"
        type="text"
        pattern="#[0-9a-fA-F]{6}"
        defaultValue={layout.brandColor}
        aria-describedby="layout-color-help"
      />
      <small id="layout-color-help" className="muted">
        A colour like #2952cc (header background and buttons).
      </small>
      <label htmlFor="layout-logo">Logo URL</label>
      <input
        id="layout-logo"
        name="logoUrl"
        type="url"
        maxLength={2000}
        defaultValue={layout.logoUrl}
        placeholder="https://…"
      />
      <label htmlFor="layout-footer">Footer text</label>
      <textarea
        id="layout-footer"
        name="footerText"
        rows={3}
        maxLength={1000}
        defaultValue={layout.footerText}
      />
      <Outcome state={state} testId="layout-saved" />
      {!readOnly && (
        <button type="submit" className="primary" disabled={pending}>
          Save layout
        </button>
      )}
    </form>
  );
}

export function TestAddressesForm({ addresses }: { addresses: string[] }) {
  const [state, action, pending] = useActionState(saveTestAddressesAction, null);
  return (
    <form action={action} className="form-stack card" aria-labelledby="test-addresses-heading">
      <h2 id="test-addresses-heading" style={{ marginTop: 0 }}>
        Test addresses
      </h2>
      <p className="muted">
        A test send goes to your own address, or also to this saved list (e.g. a team inbox or a rendering
        service). Test mails are marked as tests and touch no customer, consent or ledger.
      </p>
      <label htmlFor="test-addresses">Addresses (one per line)</label>
      <textarea id="test-addresses" name="addresses" rows={4} defaultValue={addresses.join('\n')} />
      <Outcome state={state} testId="test-addresses-saved" />
      <button type="submit" className="primary" disabled={pending}>
        Save test addresses
      </button>
    </form>
  );
}
