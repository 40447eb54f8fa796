'use client';
import { useActionState } from 'react';
import { type LegalBasis, type Recipient } from '@/lib/vocabulary';
import { createPurposeAction, publishNoticeAction, updatePurposeAction } from './actions';
import { FieldError, invalid, Outcome } from './form-parts';
import { LEGAL_BASIS_LABELS } from './legal-bases';

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
