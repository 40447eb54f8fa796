'use client';
import { useEffect, useRef, useState } from 'react';
import { IMPORT_TARGETS, TARGET_LABELS, type ImportTarget } from '@/lib/import/mapping';
import styles from './import.module.css';

type Purpose = { key: string; name: string };
type Upload = { jobId: number; columns: string[]; totalRows: number };
type Problem = { row: number; field: string; message: string; kind: 'error' | 'skipped' | 'warning' };
type Status = {
  id: number;
  status: 'pending' | 'running' | 'done' | 'failed';
  dryRun: boolean;
  totalRows: number;
  processedRows: number;
  importedRows: number;
  skippedRows: number;
  failedRows: number;
  problems: Problem[];
  truncatedProblems: number;
};

const GUESSES: [RegExp, ImportTarget][] = [
  [/^e-?mail( address)?$/i, 'email'],
  [/^(external[ _-]?id|customer[ _-]?id|crm[ _-]?id|id)$/i, 'externalId'],
  [/^(full[ _-]?)?name$/i, 'name'],
  [/^(locale|language|lang)$/i, 'locale'],
  [/^(time[ _-]?zone|tz)$/i, 'timeZone'],
  [/^consent[ _-]?source$/i, 'consentSource'],
  [/^consent[ _-]?evidence$/i, 'consentEvidence'],
  [/^(consent|opt[ _-]?in|newsletter)$/i, 'consent'],
];

function guessTarget(column: string): ImportTarget {
  return GUESSES.find(([pattern]) => pattern.test(column.trim()))?.[1] ?? 'attribute';
}

async function errorMessage(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { error?: { message?: string } };
    return body.error?.message ?? `Request failed (${response.status})`;
  } catch {
    return `Request failed (${response.status})`;
  }
}

export function ImportWizard({ purposes }: { purposes: Purpose[] }) {
  const [file, setFile] = useState<File | null>(null);
  const [upload, setUpload] = useState<Upload | null>(null);
  const [columns, setColumns] = useState<Record<string, ImportTarget>>({});
  const [consentPurpose, setConsentPurpose] = useState(purposes[0]?.key ?? '');
  const [status, setStatus] = useState<Status | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );

  async function uploadFile(event: React.FormEvent) {
    event.preventDefault();
    if (!file) return;
    setBusy(true);
    setError(null);
    setStatus(null);
    const response = await fetch(`/customers/import/upload?name=${encodeURIComponent(file.name)}`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv' },
      body: file,
    });
    setBusy(false);
    if (!response.ok) {
      setError(await errorMessage(response));
      return;
    }
    const result = (await response.json()) as Upload;
    setUpload(result);
    setColumns(Object.fromEntries(result.columns.map((column) => [column, guessTarget(column)])));
  }

  async function poll(jobId: number) {
    const response = await fetch(`/customers/import/${jobId}/status`, { cache: 'no-store' });
    if (!response.ok) {
      setError(await errorMessage(response));
      return;
    }
    const next = (await response.json()) as Status;
    setStatus(next);
    if (next.status === 'running' || next.status === 'pending')
      timer.current = setTimeout(() => void poll(jobId), 300);
  }

  async function start(dryRun: boolean) {
    if (!upload) return;
    setError(null);
    const consentMapped = Object.values(columns).includes('consent');
    const response = await fetch(`/customers/import/${upload.jobId}/run`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ dryRun, mapping: { columns, ...(consentMapped ? { consentPurpose } : {}) } }),
    });
    if (!response.ok) {
      setError(await errorMessage(response));
      return;
    }
    await poll(upload.jobId);
  }

  const running = status?.status === 'running' || status?.status === 'pending';
  const consentMapped = Object.values(columns).includes('consent');
  const imported = status && !status.dryRun && status.status === 'done';

  return (
    <div className={styles.wizard}>
      <form onSubmit={uploadFile} className="card form-stack">
        <h2 style={{ marginTop: 0 }}>1. Upload</h2>
        <label htmlFor="import-file">CSV file</label>
        <input
          id="import-file"
          type="file"
          accept=".csv,text/csv"
          onChange={(event) => setFile(event.target.files?.[0] ?? null)}
        />
        <button type="submit" className="primary" disabled={!file || busy || running}>
          {busy ? 'Uploading…' : 'Upload'}
        </button>
      </form>

      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}

      {upload && (
        <section className="card" aria-labelledby="mapping-title">
          <h2 id="mapping-title" style={{ marginTop: 0 }}>
            2. Map columns
          </h2>
          <p className="muted">{upload.totalRows} rows found.</p>
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Column in the file</th>
                  <th scope="col">Import as</th>
                </tr>
              </thead>
              <tbody>
                {upload.columns.map((column, index) => (
                  <tr key={`${column}-${index}`}>
                    <td>
                      <label htmlFor={`map-${index}`} style={{ margin: 0 }}>
                        {column}
                      </label>
                    </td>
                    <td>
                      <select
                        id={`map-${index}`}
                        value={columns[column] ?? 'ignore'}
                        onChange={(event) =>
                          setColumns({ ...columns, [column]: event.target.value as ImportTarget })
                        }
                      >
                        {IMPORT_TARGETS.map((target) => (
                          <option key={target} value={target}>
                            {TARGET_LABELS[target]}
                          </option>
                        ))}
                      </select>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {consentMapped && (
            <div className="form-stack">
              <label htmlFor="consent-purpose">Consent is for the purpose</label>
              <select
                id="consent-purpose"
                value={consentPurpose}
                onChange={(event) => setConsentPurpose(event.target.value)}
              >
                {purposes.map((purpose) => (
                  <option key={purpose.key} value={purpose.key}>
                    {purpose.name}
                  </option>
                ))}
              </select>
            </div>
          )}
          <div className="row" style={{ marginTop: '1rem' }}>
            <button type="button" onClick={() => void start(true)} disabled={running || !!imported}>
              Dry run
            </button>
            <button
              type="button"
              className="primary"
              onClick={() => void start(false)}
              disabled={running || !!imported}
            >
              Import
            </button>
          </div>
        </section>
      )}

      {status && (
        <section className="card" aria-labelledby="progress-title">
          <h2 id="progress-title" style={{ marginTop: 0 }}>
            {status.dryRun ? 'Dry run' : 'Import'}{' '}
            {status.status === 'done' ? 'finished' : status.status === 'failed' ? 'failed' : 'in progress'}
          </h2>
          <label htmlFor="import-progress">Progress</label>
          <progress
            id="import-progress"
            data-testid="import-progress"
            max={Math.max(status.totalRows, 1)}
            value={status.processedRows}
            className={styles.progress}
          />
          <p role="status" data-testid="import-counts">
            {status.processedRows} of {status.totalRows} rows processed: {status.importedRows}{' '}
            {status.dryRun ? 'would be imported' : 'imported'}, {status.skippedRows} skipped (erased
            addresses), {status.failedRows} with errors.
          </p>
          {(status.problems.length > 0 || status.truncatedProblems > 0) && (
            <>
              <div className="table-wrap">
                <table data-testid="import-problems">
                  <thead>
                    <tr>
                      <th scope="col">Row</th>
                      <th scope="col">Kind</th>
                      <th scope="col">Problem</th>
                    </tr>
                  </thead>
                  <tbody>
                    {status.problems.map((problem, index) => (
                      <tr key={index}>
                        <td>{problem.row || '—'}</td>
                        <td>
                          <span
                            className={`badge ${problem.kind === 'error' ? 'failed' : problem.kind === 'skipped' ? 'archived' : 'warning'}`}
                          >
                            {problem.kind}
                          </span>
                        </td>
                        <td>{problem.message}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              {status.truncatedProblems > 0 && (
                <p className="muted">{status.truncatedProblems} more in the report.</p>
              )}
            </>
          )}
          {status.status !== 'running' && (
            <p>
              <a href={`/customers/import/${status.id}/errors.csv`} download className="button">
                Download error report
              </a>
            </p>
          )}
        </section>
      )}
    </div>
  );
}
