'use client';
import Link from 'next/link';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { DeadLetter } from '@/lib/journeys/dead-letters';
import { journeyRequest } from './api';
import { LocalTime } from '@/components/LocalTime';

async function fetchFailed(journeyId: number): Promise<DeadLetter[]> {
  const response = await fetch(`/api/journeys/${journeyId}/failed`, { cache: 'no-store' });
  const body = (await response.json().catch(() => ({}))) as {
    failed?: DeadLetter[];
    error?: { message?: string };
  };
  if (!response.ok || !body.failed)
    throw new Error(body.error?.message ?? `Request failed (${response.status})`);
  return body.failed;
}

/**
 * The dead letters of a journey: customers whose step kept failing, with the last error and a
 * Retry button that puts them back at that step. Refreshed every 5 s like the live counts.
 */
export function FailedEnrollments({
  journeyId,
  nodeTitles,
  canRetry,
}: {
  journeyId: number;
  nodeTitles: Record<string, string>;
  canRetry: boolean;
}) {
  const queryClient = useQueryClient();
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const failed = useQuery({
    queryKey: ['journey-failed', journeyId],
    queryFn: () => fetchFailed(journeyId),
    refetchInterval: 5_000,
  });
  const retry = useMutation({
    mutationFn: (enrollmentId: number) =>
      journeyRequest(`/api/journeys/${journeyId}/failed/${enrollmentId}/retry`, 'POST'),
    onSuccess: (_result, enrollmentId) => {
      // Gone from the list at once; the next refresh confirms it from the server.
      queryClient.setQueryData<DeadLetter[]>(['journey-failed', journeyId], (rows) =>
        rows?.filter((row) => row.enrollmentId !== enrollmentId),
      );
      setMessage({ ok: true, text: 'Retrying: the customer is back in the queue at the step that failed.' });
      void queryClient.invalidateQueries({ queryKey: ['journey-live', journeyId] });
    },
    onError: (error) =>
      setMessage({ ok: false, text: error instanceof Error ? error.message : 'Retry failed' }),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: ['journey-failed', journeyId] }),
  });

  const rows = failed.data ?? [];
  return (
    <section
      className="card"
      data-testid="failed-enrollments"
      aria-labelledby="failed-heading"
      style={{ marginBottom: '0.75rem' }}
    >
      <h2 id="failed-heading" style={{ marginTop: 0 }}>
        Failed{' '}
        {rows.length > 0 && (
          <span className="badge failed" data-testid="failed-count">
            {rows.length}
          </span>
        )}
      </h2>
      {message && (
        <p className={message.ok ? 'muted' : 'error'} role="status">
          {message.text}
        </p>
      )}
      {failed.isError && <p className="error">{(failed.error as Error).message}</p>}
      {failed.isPending && <p className="muted">Loading…</p>}
      {failed.isSuccess && rows.length === 0 && (
        <p className="muted">No customer is stuck on a failing step.</p>
      )}
      {rows.length > 0 && (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">Customers whose step failed after every retry</caption>
            <thead>
              <tr>
                <th scope="col">Customer</th>
                <th scope="col">Step</th>
                <th scope="col">Attempts</th>
                <th scope="col">Last error</th>
                <th scope="col">Failed at</th>
                {canRetry && <th scope="col">Action</th>}
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => {
                const who = row.customerName || `Customer ${row.customerId}`;
                return (
                  <tr key={row.enrollmentId} data-testid={`failed-enrollment-${row.enrollmentId}`}>
                    <td>
                      <Link href={`/customers/${row.customerId}`}>{who}</Link>
                    </td>
                    <td>{nodeTitles[row.nodeId] ?? row.nodeId}</td>
                    <td>{row.attempts}</td>
                    <td style={{ overflowWrap: 'anywhere' }}>{row.lastError ?? '—'}</td>
                    <td>
                      <LocalTime iso={row.failedAt} />
                    </td>
                    {canRetry && (
                      <td>
                        <button
                          type="button"
                          aria-label={`Retry ${who}`}
                          disabled={retry.isPending}
                          onClick={() => {
                            setMessage(null);
                            retry.mutate(row.enrollmentId);
                          }}
                        >
                          Retry
                        </button>
                      </td>
                    )}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
