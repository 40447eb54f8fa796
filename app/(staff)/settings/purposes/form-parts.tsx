'use client';
import type { PurposeFormState } from './actions';

/** The pieces every purpose settings form shares: inline field errors and the outcome line. */

export type FieldProps = { id: string; state: PurposeFormState; field: string };

/** aria attributes tying an input to its inline error. */
export function invalid({ id, state, field }: FieldProps) {
  const error = state && !state.ok ? state.fieldErrors[field] : undefined;
  return error ? { 'aria-invalid': true as const, 'aria-describedby': `${id}-error` } : {};
}

export function FieldError({ id, state, field }: FieldProps) {
  const error = state && !state.ok ? state.fieldErrors[field] : undefined;
  if (!error) return null;
  return (
    <p id={`${id}-error`} className="field-error" data-testid={`error-${field}`}>
      {error}
    </p>
  );
}

export function Outcome({ state }: { state: PurposeFormState }) {
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
