/** A freshly created secret (API key, webhook signing secret): shown once, never stored in clear. */
export function ShownOnceSecret({
  message,
  label,
  id,
  testId,
  value,
}: {
  message: React.ReactNode;
  label: string;
  id: string;
  testId: string;
  value: string;
}) {
  return (
    <div role="status" className="card" style={{ background: '#ecfdf3' }}>
      <p style={{ marginTop: 0 }}>{message}</p>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        data-testid={testId}
        readOnly
        value={value}
        style={{ width: '100%', fontFamily: 'var(--mono)' }}
      />
    </div>
  );
}
