'use client';
import { useActionState } from 'react';
import { type LegalBasis, type Recipient } from '@/lib/vocabulary';
import {
  addThemeAction,
  createPurposeAction,
  publishNoticeAction,
  renameThemeAction,
  updatePurposeAction,
  type PurposeFormState,
} from './actions';
import { LEGAL_BASIS_LABELS } from './legal-bases';

type FieldProps = { id: string; state: PurposeFormState; field: string };

/** aria attributes tying an input to its inline error. */
function invalid({ id, state, field }: FieldProps) {
  const error = state && !state.ok ? state.fieldErrors[field] : undefined;
  return error ? { 'aria-invalid': true as const, 'aria-describedby': `${id}-error` } : {};
}

function FieldError({ id, state, field }: FieldProps) {
  const error = state && !state.ok ? state.fieldErrors[field] : undefined;
  if (!error) return null;
  return (
    <p id={`${id}-error`} className="field-error" data-testid={`error-${field}`}>
      {error}
    </p>
  );
}

function Outcome({ state }: { state: PurposeFormState }) {
  if (!state) return null;
  if (state.ok) return <p role="status">{state.message}</p>;
  return state.fieldErrors.form ? (
    <p role="alert" className="error">
      {state.fieldErrors.form}
    </p>
  ) : (
    <p role="alert" className="error">
      Nothing was saved: check the fields marked below.
    </p>
  );
}

export type PurposeFormValues = {
  key: string;
  name: string;
  description: string;
  legalBasis: LegalBasis;
  retentionDays: number;
  recipients: Recipient[];
  retentionDuty: string | null;
  nameDe: string;
  descriptionDe: string;
  clickTracking: boolean;
  honoursGpc: boolean;
};

export function PurposeForm({ purpose }: { purpose?: PurposeFormValues }) {
  const editing = !!purpose;
  const [state, action, pending] = useActionState(editing ? updatePurposeAction : createPurposeAction, null);
  const typed = state && !state.ok ? state.values : undefined;
  const value = (field: keyof PurposeFormValues, current: string) => typed?.[field] ?? current;
  const p = (field: string) => ({ id: `purpose-${field}`, state, field });
  return (
    <form action={action} className="form-stack card" aria-labelledby="purpose-form-title" noValidate>
      <h2 id="purpose-form-title" style={{ marginTop: 0 }}>
        {editing ? 'Edit purpose' : 'New purpose'}
      </h2>
      <Outcome state={state} />
      <label htmlFor="purpose-key">Key</label>
      {editing ? (
        <>
          <input
            id="purpose-key"
            name="key"
            value={purpose.key}
            readOnly
            aria-describedby="purpose-key-hint"
          />
          <p id="purpose-key-hint" className="muted">
            The key never changes: journeys, the API and consent records refer to it.
          </p>
        </>
      ) : (
        <input
          id="purpose-key"
          name="key"
          defaultValue={value('key', '')}
          placeholder="e.g. spring-offers"
          {...invalid(p('key'))}
        />
      )}
      <FieldError {...p('key')} />
      <label htmlFor="purpose-name">Name</label>
      <input
        id="purpose-name"
        name="name"
        defaultValue={value('name', purpose?.name ?? '')}
        {...invalid(p('name'))}
      />
      <FieldError {...p('name')} />
      <label htmlFor="purpose-description">Description</label>
      <textarea
        id="purpose-description"
        name="description"
        rows={2}
        defaultValue={value('description', purpose?.description ?? '')}
        {...invalid(p('description'))}
      />
      <FieldError {...p('description')} />
      <label htmlFor="purpose-nameDe">Name in German</label>
      <input
        id="purpose-nameDe"
        name="nameDe"
        lang="de"
        defaultValue={value('nameDe', purpose?.nameDe ?? '')}
        aria-describedby="purpose-german-hint"
        {...invalid(p('nameDe'))}
      />
      <FieldError {...p('nameDe')} />
      <label htmlFor="purpose-descriptionDe">Description in German</label>
      <textarea
        id="purpose-descriptionDe"
        name="descriptionDe"
        lang="de"
        rows={2}
        defaultValue={value('descriptionDe', purpose?.descriptionDe ?? '')}
        aria-describedby="purpose-german-hint"
        {...invalid(p('descriptionDe'))}
      />
      <p id="purpose-german-hint" className="muted">
        What German-speaking customers read on their pages and in mails; empty: the English text.
      </p>
      <FieldError {...p('descriptionDe')} />
      <label htmlFor="purpose-legalBasis">Legal basis</label>
      <select
        id="purpose-legalBasis"
        name="legalBasis"
        defaultValue={value('legalBasis', purpose?.legalBasis ?? 'consent')}
        {...invalid(p('legalBasis'))}
      >
        {Object.entries(LEGAL_BASIS_LABELS).map(([basis, label]) => (
          <option key={basis} value={basis}>
            {label}
          </option>
        ))}
      </select>
      {editing && <p className="muted">Fixed once consent records exist for this purpose.</p>}
      <FieldError {...p('legalBasis')} />
      <label htmlFor="purpose-retentionDays">Retention (days)</label>
      <input
        id="purpose-retentionDays"
        name="retentionDays"
        type="number"
        inputMode="numeric"
        min={1}
        max={36500}
        defaultValue={value('retentionDays', String(purpose?.retentionDays ?? 365))}
        {...invalid(p('retentionDays'))}
      />
      <FieldError {...p('retentionDays')} />
      <label htmlFor="purpose-recipients">Recipients (one per line: key | name)</label>
      <textarea
        id="purpose-recipients"
        name="recipients"
        rows={3}
        placeholder="partner-x | Partner X GmbH"
        defaultValue={value(
          'recipients',
          (purpose?.recipients ?? []).map((r) => `${r.key} | ${r.name}`).join('\n'),
        )}
        {...invalid(p('recipients'))}
      />
      <FieldError {...p('recipients')} />
      <label htmlFor="purpose-retentionDuty">Legal retention duty (optional)</label>
      <input
        id="purpose-retentionDuty"
        name="retentionDuty"
        placeholder="e.g. invoices, 10 years (§ 147 AO)"
        defaultValue={value('retentionDuty', purpose?.retentionDuty ?? '')}
        {...invalid(p('retentionDuty'))}
      />
      <FieldError {...p('retentionDuty')} />
      <label htmlFor="purpose-honoursGpc" style={{ fontWeight: 400 }}>
        <input
          id="purpose-honoursGpc"
          type="checkbox"
          name="honoursGpc"
          defaultChecked={typed ? typed.honoursGpc === 'on' : (purpose?.honoursGpc ?? false)}
          aria-describedby="purpose-honoursGpc-hint"
        />{' '}
        Sale or sharing / targeted advertising (honours Global Privacy Control)
      </label>
      <p id="purpose-honoursGpc-hint" className="muted">
        A browser that sends Global Privacy Control (<code>Sec-GPC: 1</code>) to a customer page or the
        sign-up objects to this purpose: the objection is recorded in the ledger and an advertising block is
        set.
      </p>
      {editing && (
        <>
          <label htmlFor="purpose-clickTracking" style={{ fontWeight: 400 }}>
            <input
              id="purpose-clickTracking"
              type="checkbox"
              name="clickTracking"
              defaultChecked={typed ? typed.clickTracking === 'on' : purpose.clickTracking}
              aria-describedby="purpose-clickTracking-hint"
              {...invalid(p('clickTracking'))}
            />{' '}
            Record link clicks in this purpose&apos;s mails
          </label>
          <p id="purpose-clickTracking-hint" className="muted">
            Off by default: no tracking pixel, no rewritten links. When on, links go through a redirect that
            records the click as an event with the purpose. Needs a notice that tells customers so.
          </p>
          <FieldError {...p('clickTracking')} />
        </>
      )}
      <button type="submit" className="primary" disabled={pending}>
        {editing ? 'Save purpose' : 'Create purpose'}
      </button>
    </form>
  );
}

export function AddThemeForm({ purposeKey }: { purposeKey: string }) {
  const [state, action, pending] = useActionState(addThemeAction, null);
  const typed = state && !state.ok ? state.values : undefined;
  const p = (field: string) => ({ id: `theme-${field}`, state, field });
  return (
    <form action={action} className="form-stack card" aria-labelledby="add-theme-title" noValidate>
      <h3 id="add-theme-title" style={{ marginTop: 0 }}>
        Add a theme
      </h3>
      <Outcome state={state} />
      <input type="hidden" name="purposeKey" value={purposeKey} />
      <label htmlFor="theme-key">Theme key</label>
      <input
        id="theme-key"
        name="key"
        defaultValue={typed?.key ?? ''}
        placeholder="e.g. garden"
        {...invalid(p('key'))}
      />
      <FieldError {...p('key')} />
      <label htmlFor="theme-name">Theme name</label>
      <input id="theme-name" name="name" defaultValue={typed?.name ?? ''} {...invalid(p('name'))} />
      <FieldError {...p('name')} />
      <label htmlFor="theme-description">Theme description</label>
      <input
        id="theme-description"
        name="description"
        defaultValue={typed?.description ?? ''}
        {...invalid(p('description'))}
      />
      <FieldError {...p('description')} />
      <label htmlFor="theme-nameDe">Theme name in German</label>
      <input id="theme-nameDe" name="nameDe" lang="de" defaultValue={typed?.nameDe ?? ''} />
      <label htmlFor="theme-descriptionDe">Theme description in German</label>
      <input
        id="theme-descriptionDe"
        name="descriptionDe"
        lang="de"
        defaultValue={typed?.descriptionDe ?? ''}
      />
      <button type="submit" className="primary" disabled={pending}>
        Add theme
      </button>
    </form>
  );
}

export function RenameThemeForm({
  purposeKey,
  theme,
}: {
  purposeKey: string;
  theme: { key: string; name: string; description: string; nameDe: string; descriptionDe: string };
}) {
  const [state, action, pending] = useActionState(renameThemeAction, null);
  const typed = state && !state.ok ? state.values : undefined;
  const id = `rename-${theme.key}`;
  const p = (field: string) => ({ id: `${id}-${field}`, state, field });
  return (
    <form
      action={action}
      className="row"
      style={{ flexWrap: 'wrap', gap: '0.4rem', alignItems: 'flex-start' }}
    >
      <input type="hidden" name="purposeKey" value={purposeKey} />
      <input type="hidden" name="key" value={theme.key} />
      <div>
        <input
          aria-label={`Name of theme ${theme.key}`}
          name="name"
          defaultValue={typed?.name ?? theme.name}
          {...invalid(p('name'))}
        />
        <FieldError {...p('name')} />
      </div>
      <div>
        <input
          aria-label={`Description of theme ${theme.key}`}
          name="description"
          defaultValue={typed?.description ?? theme.description}
          {...invalid(p('description'))}
        />
        <FieldError {...p('description')} />
      </div>
      <div>
        <input
          aria-label={`German name of theme ${theme.key}`}
          name="nameDe"
          lang="de"
          placeholder="German name"
          defaultValue={typed?.nameDe ?? theme.nameDe}
        />
      </div>
      <div>
        <input
          aria-label={`German description of theme ${theme.key}`}
          name="descriptionDe"
          lang="de"
          placeholder="German description"
          defaultValue={typed?.descriptionDe ?? theme.descriptionDe}
        />
      </div>
      <button type="submit" disabled={pending} aria-label={`Rename theme ${theme.key}`}>
        Rename
      </button>
      {state?.ok && <span role="status">{state.message}</span>}
      {state && !state.ok && state.fieldErrors.form && (
        <span role="alert" className="error">
          {state.fieldErrors.form}
        </span>
      )}
    </form>
  );
}

export function NoticeForm({
  purposeKey,
  current,
}: {
  purposeKey: string;
  current: { en: string; de: string };
}) {
  const [state, action, pending] = useActionState(publishNoticeAction, null);
  const typed = state && !state.ok ? state.values : undefined;
  const p = (field: string) => ({ id: `notice-${field}`, state, field });
  return (
    <form
      action={action}
      className="form-stack card"
      aria-labelledby="notice-form-title"
      noValidate
      style={{ maxWidth: '640px' }}
    >
      <h3 id="notice-form-title" style={{ marginTop: 0 }}>
        Publish a new notice version
      </h3>
      <p className="muted">
        Earlier versions stay on record: every consent points at the exact text it was given for.
      </p>
      <Outcome state={state} />
      <input type="hidden" name="purposeKey" value={purposeKey} />
      <label htmlFor="notice-en">Notice text (English, required)</label>
      <textarea
        id="notice-en"
        name="en"
        rows={5}
        defaultValue={typed?.en ?? current.en}
        {...invalid(p('en'))}
      />
      <FieldError {...p('en')} />
      <label htmlFor="notice-de">Notice text (German, optional)</label>
      <textarea
        id="notice-de"
        name="de"
        rows={5}
        lang="de"
        defaultValue={typed?.de ?? current.de}
        {...invalid(p('de'))}
      />
      <FieldError {...p('de')} />
      <label style={{ fontWeight: 400 }}>
        <input type="checkbox" name="requiresReconsent" defaultChecked={typed?.requiresReconsent === 'on'} />{' '}
        The change requires fresh consent (older grants stop allowing contact)
      </label>
      <label style={{ fontWeight: 400 }}>
        <input
          type="checkbox"
          name="askAgain"
          defaultChecked={typed?.askAgain === 'on'}
          {...invalid(p('askAgain'))}
        />{' '}
        Ask everyone who had consented to confirm again by mail
      </label>
      <FieldError {...p('askAgain')} />
      <button type="submit" className="primary" disabled={pending}>
        Publish notice
      </button>
    </form>
  );
}
