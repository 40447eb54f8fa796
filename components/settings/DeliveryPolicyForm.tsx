'use client';
import { useActionState, useState } from 'react';
import type { Result } from '@/lib/result';
import { LocalTime } from '@/components/LocalTime';

type Settings = {
  email: {
    cap: { max: number; perDays: number } | null;
    quietHours: { start: string; end: string } | null;
    exemptTransactional: boolean;
    softBounceLimit: number;
  };
  rateLimits: { provider: string; perSecond: number | null; perHour: number | null }[];
  currentProvider: string;
  updatedAt: string | null;
};

type State = Result<{ savedAt: string }> | null;

/** Settings → Delivery policy; read-only (a disabled fieldset) for staff who may not change it. */
export function DeliveryPolicyForm({
  settings,
  editable,
  action,
}: {
  settings: Settings;
  editable: boolean;
  action?: (previous: State, form: FormData) => Promise<State>;
}) {
  const [state, formAction, pending] = useActionState(action ?? (async () => null), null);
  const [rows, setRows] = useState(
    settings.rateLimits.length > 0
      ? settings.rateLimits
      : [{ provider: settings.currentProvider, perSecond: null, perHour: null }],
  );
  const failedField = state && !state.ok ? state.error.field : undefined;
  const { email } = settings;
  return (
    <form action={formAction} className="form-stack card" data-testid="delivery-policy-form">
      <fieldset disabled={!editable || pending} style={{ border: 0, padding: 0, margin: 0 }}>
        <h2 style={{ marginTop: 0 }}>Email</h2>
        <p className="muted">
          Frequency cap: at most this many marketing mails per customer across all journeys and purposes.
          Leave both empty for no cap.
        </p>
        <div style={{ display: 'flex', gap: '1rem', flexWrap: 'wrap' }}>
          <div>
            <label htmlFor="cap-max">At most (mails)</label>
            <input
              id="cap-max"
              name="capMax"
              type="number"
              min={1}
              max={1000}
              defaultValue={email.cap?.max ?? ''}
              aria-invalid={failedField?.includes('cap') || undefined}
            />
          </div>
          <div>
            <label htmlFor="cap-days">Within (days)</label>
            <input
              id="cap-days"
              name="capDays"
              type="number"
              min={1}
              max={365}
              defaultValue={email.cap?.perDays ?? ''}
            />
          </div>
        </div>
        <p className="muted">
          Quiet hours in the customer&rsquo;s time zone: no marketing mail goes out between them.
        </p>
        <div style={{ display: 'flex', gap: '1rem', flexWrap: 'wrap' }}>
          <div>
            <label htmlFor="quiet-start">Quiet from</label>
            <input
              id="quiet-start"
              name="quietStart"
              type="time"
              defaultValue={email.quietHours?.start ?? ''}
            />
          </div>
          <div>
            <label htmlFor="quiet-end">Quiet until</label>
            <input id="quiet-end" name="quietEnd" type="time" defaultValue={email.quietHours?.end ?? ''} />
          </div>
        </div>
        <label style={{ fontWeight: 400 }}>
          <input type="checkbox" name="exemptTransactional" defaultChecked={email.exemptTransactional} /> Mail
          for transactional purposes (legal basis contract or legal obligation) is exempt from the cap and the
          quiet hours
        </label>
        <label htmlFor="soft-bounce-limit">Block an address after this many soft bounces (in 30 days)</label>
        <input
          id="soft-bounce-limit"
          name="softBounceLimit"
          type="number"
          min={1}
          max={100}
          defaultValue={email.softBounceLimit}
        />
        <h2>Send-rate limits</h2>
        <p className="muted">
          Per provider (the SMTP host; <code>outbox</code> for the built-in outbox), shared by every worker.
          Mail goes through <code>{settings.currentProvider}</code> now.
        </p>
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Provider</th>
                <th scope="col">Per second</th>
                <th scope="col">Per hour</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row, index) => (
                <tr key={index}>
                  <td>
                    <input
                      name="provider"
                      aria-label={`Provider ${index + 1}`}
                      defaultValue={row.provider}
                      maxLength={253}
                    />
                  </td>
                  <td>
                    <input
                      name="perSecond"
                      type="number"
                      min={1}
                      aria-label={`Provider ${index + 1}, mails per second`}
                      defaultValue={row.perSecond ?? ''}
                    />
                  </td>
                  <td>
                    <input
                      name="perHour"
                      type="number"
                      min={1}
                      aria-label={`Provider ${index + 1}, mails per hour`}
                      defaultValue={row.perHour ?? ''}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {editable && (
          <button
            type="button"
            onClick={() => setRows([...rows, { provider: '', perSecond: null, perHour: null }])}
          >
            Add provider
          </button>
        )}
        {state && !state.ok && (
          <p role="alert" className="error">
            {state.error.message}
          </p>
        )}
        {state?.ok && <p role="status">Saved.</p>}
        {editable && (
          <button type="submit" className="primary">
            Save delivery policy
          </button>
        )}
      </fieldset>
      {settings.updatedAt && (
        <p className="muted">
          Last changed <LocalTime iso={settings.updatedAt} />
        </p>
      )}
    </form>
  );
}
