'use client';
import { useQueryClient } from '@tanstack/react-query';
import { useState, useTransition } from 'react';

/** "Verify now"; the page hands in its server action (components never import app/). */
export function VerifyLedgerButton({ verify }: { verify: () => Promise<{ message: string }> }) {
  const client = useQueryClient();
  const [pending, start] = useTransition();
  const [message, setMessage] = useState<string | null>(null);
  return (
    <div className="row">
      <button
        type="button"
        disabled={pending}
        onClick={() =>
          start(async () => {
            const result = await verify();
            setMessage(result.message);
            await client.invalidateQueries({ queryKey: ['consent-summary'] });
          })
        }
      >
        {pending ? 'Verifying…' : 'Verify now'}
      </button>
      <span role="status" className="muted">
        {message}
      </span>
    </div>
  );
}
