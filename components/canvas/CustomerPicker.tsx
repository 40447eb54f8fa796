'use client';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useId, useState } from 'react';
import styles from './canvas.module.css';

export type PickedCustomer = { id: number; name: string; email: string | null };

export function customerLabel(customer: PickedCustomer): string {
  const name = customer.name || customer.email || `Customer ${customer.id}`;
  return customer.email && customer.name ? `${name} <${customer.email}>` : name;
}

/** Type a name, the start of an address or an id; pick one of the first matches. */
export function CustomerPicker({
  label,
  value,
  onChange,
}: {
  label: string;
  value: PickedCustomer | null;
  onChange: (customer: PickedCustomer) => void;
}) {
  const id = useId();
  const [text, setText] = useState('');
  const [query, setQuery] = useState('');
  // Ask the server once typing pauses, not per key.
  useEffect(() => {
    const timer = setTimeout(() => setQuery(text.trim()), 250);
    return () => clearTimeout(timer);
  }, [text]);
  const matches = useQuery({
    queryKey: ['customer-search', query],
    queryFn: async () => {
      const response = await fetch(`/api/customers/search?q=${encodeURIComponent(query)}&limit=8`);
      if (!response.ok) throw new Error(`Search failed (${response.status})`);
      return ((await response.json()) as { customers: PickedCustomer[] }).customers;
    },
    staleTime: 30_000,
  });
  return (
    <div className={styles.customerPicker} data-testid="customer-picker">
      <label htmlFor={`${id}-search`}>{label}</label>
      {value && (
        <p className={styles.pickedCustomer} data-testid="picked-customer">
          <strong>{customerLabel(value)}</strong>
        </p>
      )}
      <input
        id={`${id}-search`}
        type="search"
        placeholder="Name, email or customer number"
        value={text}
        onChange={(event) => setText(event.target.value)}
        aria-describedby={`${id}-count`}
        autoComplete="off"
      />
      <p id={`${id}-count`} className={styles.hint} aria-live="polite">
        {matches.isError
          ? (matches.error as Error).message
          : matches.data
            ? matches.data.length === 0
              ? 'No customer matches.'
              : `${matches.data.length} ${matches.data.length === 1 ? 'match' : 'matches'}${query ? '' : ' (type to search)'}`
            : 'Searching…'}
      </p>
      {matches.data && matches.data.length > 0 && (
        <ul className={styles.customerMatches} aria-label="Matching customers">
          {matches.data.map((customer) => (
            <li key={customer.id}>
              <button
                type="button"
                aria-pressed={value?.id === customer.id}
                onClick={() => onChange(customer)}
                data-testid={`pick-customer-${customer.id}`}
              >
                {customerLabel(customer)}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
