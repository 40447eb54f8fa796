'use client';
import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { journeyRequest } from './api';

export function RestoreVersionButton({
  journeyId,
  versionId,
  number,
}: {
  journeyId: number;
  versionId: number;
  number: number;
}) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  return (
    <>
      <button
        type="button"
        disabled={pending}
        aria-label={`Restore version ${number} as the draft`}
        onClick={() => {
          if (!window.confirm(`Replace the current draft with version ${number}?`)) return;
          setError(null);
          startTransition(async () => {
            try {
              await journeyRequest(`/api/journeys/${journeyId}/versions/${versionId}/restore`, 'POST');
              router.push(`/journeys/${journeyId}`);
            } catch (err) {
              setError(err instanceof Error ? err.message : 'Restore failed');
            }
          });
        }}
      >
        Restore as draft
      </button>
      {error && (
        <span className="error" role="alert">
          {error}
        </span>
      )}
    </>
  );
}
