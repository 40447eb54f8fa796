'use client';
import { useQueryClient } from '@tanstack/react-query';
import { useState, useTransition } from 'react';
import { verifyLedgerNow } from '@/app/(staff)/mission-control/actions';

export function VerifyLedgerButton() {
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
            const result = await verifyLedgerNow();
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
