'use client';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { journeyRequest } from './api';
import {
  SORTS,
  STATUS_FILTERS,
  visibleJourneys,
  type JourneySort,
  type JourneyStatusFilter,
} from './journey-filters';
import { LocalTime } from '@/components/LocalTime';

export interface JourneyListRow {
  id: number;
  name: string;
  status: 'draft' | 'live' | 'paused' | 'archived';
  updatedAt: string | null;
  createdAt: string;
  updatedByName: string | null;
  activeCount: number;
  completedCount: number;
  /** Enrollments dead-lettered after their last retry (shown as a badge linking to the live view). */
  failedCount: number;
}

/** The journey list with search, status filter and sort; create, rename, duplicate, pause/resume, archive and restore. */
export function JourneyList({ journeys, canEdit }: { journeys: JourneyListRow[]; canEdit: boolean }) {
  const router = useRouter();
  const [query, setQuery] = useState('');
  const [status, setStatus] = useState<JourneyStatusFilter>('current');
  const [sort, setSort] = useState<JourneySort>('updated');
  const shown = visibleJourneys(journeys, { query, status, sort });
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [renaming, setRenaming] = useState<number | null>(null);
  const [isPending, startTransition] = useTransition();

  const act = (fn: () => Promise<unknown>, after?: (result: unknown) => void) => {
    setError(null);
    startTransition(async () => {
      try {
        const result = await fn();
        if (after) after(result);
        else router.refresh();
      } catch (err) {
        setError(err instanceof Error ? err.message : 'Something went wrong');
      }
    });
  };

  return (
    <>
      {canEdit && (
        <form
          className="row"
          aria-label="Create a journey"
          onSubmit={(event) => {
            event.preventDefault();
            act(
              () => journeyRequest<{ journey: { id: number } }>('/api/journeys', 'POST', { name }),
              (result) => router.push(`/journeys/${(result as { journey: { id: number } }).journey.id}`),
            );
          }}
        >
          <label htmlFor="new-journey-name" className="visually-hidden">
            New journey name
          </label>
          <input
            id="new-journey-name"
            placeholder="New journey name"
            value={name}
            maxLength={200}
            required
            onChange={(event) => setName(event.target.value)}
          />
          <button type="submit" className="primary" disabled={isPending}>
            Create journey
          </button>
          <Link href="/journeys/new">Start from a template…</Link>
        </form>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <search
        className="row"
        style={{ marginTop: '1rem', gap: '0.75rem', flexWrap: 'wrap', alignItems: 'center' }}
      >
        <label htmlFor="journey-search">Search journeys</label>
        <input
          id="journey-search"
          type="search"
          value={query}
          onChange={(event) => setQuery(event.target.value)}
        />
        <LabelledSelect
          id="journey-status"
          label="Status"
          value={status}
          options={STATUS_FILTERS}
          onChange={setStatus}
        />
        <LabelledSelect id="journey-sort" label="Sort by" value={sort} options={SORTS} onChange={setSort} />
        <span className="muted" role="status" data-testid="journey-count">
          {shown.length === journeys.length
            ? `${journeys.length} ${journeys.length === 1 ? 'journey' : 'journeys'}`
            : `${shown.length} of ${journeys.length} journeys`}
        </span>
      </search>
      <div className="table-wrap" style={{ marginTop: '1rem' }}>
        <table>
          <thead>
            <tr>
              <th scope="col">Journey</th>
              <th scope="col">Status</th>
              <th scope="col">Active</th>
              <th scope="col">Completed</th>
              <th scope="col">Last edit</th>
              {canEdit && <th scope="col">Actions</th>}
            </tr>
          </thead>
          <tbody>
            {shown.length === 0 && (
              <tr>
                <td colSpan={6} className="muted">
                  {journeys.length === 0 ? (
                    <>No journeys yet. {canEdit && <Link href="/journeys/new">Start from a template</Link>}</>
                  ) : (
                    'No journey matches the search and filter.'
                  )}
                </td>
              </tr>
            )}
            {shown.map((journey) => (
              <tr key={journey.id} data-testid={`journey-row-${journey.id}`}>
                <td>
                  {renaming === journey.id ? (
                    <RenameForm
                      initial={journey.name}
                      onCancel={() => setRenaming(null)}
                      onSave={(newName) =>
                        act(
                          () => journeyRequest(`/api/journeys/${journey.id}`, 'PATCH', { name: newName }),
                          () => {
                            setRenaming(null);
                            router.refresh();
                          },
                        )
                      }
                    />
                  ) : (
                    <Link href={`/journeys/${journey.id}`}>{journey.name}</Link>
                  )}
                </td>
                <td>
                  <span className={`badge ${journey.status}`}>{journey.status}</span>
                  {journey.failedCount > 0 && (
                    <>
                      {' '}
                      <Link
                        href={`/journeys/${journey.id}/live`}
                        className="badge failed"
                        data-testid={`failed-badge-${journey.id}`}
                        aria-label={`${journey.failedCount} failed ${journey.failedCount === 1 ? 'enrollment' : 'enrollments'} in ${journey.name}`}
                      >
                        {journey.failedCount} failed
                      </Link>
                    </>
                  )}
                </td>
                <td>{journey.activeCount}</td>
                <td>{journey.completedCount}</td>
                <td>
                  <LocalTime iso={journey.updatedAt} />
                  {journey.updatedByName && <div className="muted">by {journey.updatedByName}</div>}
                </td>
                {canEdit && (
                  <td>
                    <div className="row" style={{ gap: '0.35rem' }}>
                      <button
                        type="button"
                        onClick={() => setRenaming(journey.id)}
                        aria-label={`Rename ${journey.name}`}
                      >
                        Rename
                      </button>
                      <button
                        type="button"
                        aria-label={`Duplicate ${journey.name}`}
                        disabled={isPending}
                        onClick={() =>
                          act(() => journeyRequest(`/api/journeys/${journey.id}/duplicate`, 'POST'))
                        }
                      >
                        Duplicate
                      </button>
                      {statusActions(journey.status).map((action) => (
                        <StatusButton
                          key={action}
                          id={journey.id}
                          name={journey.name}
                          action={action}
                          act={act}
                          disabled={isPending}
                        />
                      ))}
                    </div>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

/** A label and its select of fixed options (the list's filter and sort). */
function LabelledSelect<T extends string>({
  id,
  label,
  value,
  options,
  onChange,
}: {
  id: string;
  label: string;
  value: T;
  options: readonly { value: T; label: string }[];
  onChange: (value: T) => void;
}) {
  return (
    <>
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(event) => onChange(event.target.value as T)}>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </>
  );
}

const ACTION_LABELS = {
  pause: 'Pause',
  resume: 'Resume',
  archive: 'Archive',
  unarchive: 'Restore as draft',
} as const;

type StatusAction = keyof typeof ACTION_LABELS;

/** The status changes a journey offers, in button order: pause, resume or restore, then archive. */
function statusActions(status: string): StatusAction[] {
  const actions: StatusAction[] = [];
  if (status === 'live') actions.push('pause');
  if (status === 'paused') actions.push('resume');
  if (status === 'archived') actions.push('unarchive');
  else actions.push('archive');
  return actions;
}

function StatusButton({
  id,
  name,
  action,
  act,
  disabled,
}: {
  id: number;
  name: string;
  action: StatusAction;
  act: (fn: () => Promise<unknown>) => void;
  disabled: boolean;
}) {
  return (
    <button
      type="button"
      className={action === 'archive' ? 'danger' : undefined}
      aria-label={`${ACTION_LABELS[action]} ${name}`}
      disabled={disabled}
      onClick={() => {
        if (
          action === 'archive' &&
          !window.confirm(
            `Archive “${name}”? Customers in it stop, and it can no longer be edited or published.`,
          )
        ) {
          return;
        }
        act(() => journeyRequest(`/api/journeys/${id}/status`, 'POST', { action }));
      }}
    >
      {ACTION_LABELS[action]}
    </button>
  );
}

function RenameForm({
  initial,
  onSave,
  onCancel,
}: {
  initial: string;
  onSave: (name: string) => void;
  onCancel: () => void;
}) {
  const [value, setValue] = useState(initial);
  return (
    <form
      className="row"
      style={{ gap: '0.35rem' }}
      onSubmit={(event) => {
        event.preventDefault();
        onSave(value);
      }}
    >
      <label className="visually-hidden" htmlFor="rename-journey">
        Journey name
      </label>
      <input
        id="rename-journey"
        value={value}
        maxLength={200}
        required
        autoFocus
        onChange={(e) => setValue(e.target.value)}
      />
      <button type="submit" className="primary">
        Save
      </button>
      <button type="button" onClick={onCancel}>
        Cancel
      </button>
    </form>
  );
}
