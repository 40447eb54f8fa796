'use client';
import { useActionState } from 'react';
import { addThemeAction, renameThemeAction } from './actions';
import { FieldError, invalid, Outcome } from './form-parts';

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
