import type { Metadata } from 'next';
import { requirePermission } from '@/app/_lib/session';
import { installationMeasures, recordsOfProcessing } from '@/lib/mission-control/exports';
import styles from './records.module.css';
import { LocalTime } from '@/components/LocalTime';

export const metadata: Metadata = { title: 'Record of processing activities · Tarmo' };
export const dynamic = 'force-dynamic';

/** Art. 30 GDPR record, laid out to print (the nav is hidden by the browser's print of main). */
export default async function RecordsOfProcessingPage() {
  await requirePermission('mission-control:view');
  const records = await recordsOfProcessing();
  const measures = installationMeasures();
  return (
    <article className={styles.record}>
      <h1>Record of processing activities (Art. 30 GDPR)</h1>
      <p className="muted">
        Generated <LocalTime iso={new Date()} style="date" />.{' '}
        <a href="/api/mission-control/records.csv" className={styles.noPrint}>
          Download as CSV
        </a>
      </p>
      <p>
        Built from the purposes and from what the journeys do: the live version and the draft of every journey
        that is not archived. Personal data is what a journey reads for a purpose, at or before its steps for
        it (conditions, entry filters, message variables, consent and block checks).
      </p>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Purpose</th>
              <th scope="col">Legal basis</th>
              <th scope="col">Journeys</th>
              <th scope="col">Personal data read</th>
              <th scope="col">Recipients</th>
              <th scope="col">Retention</th>
              <th scope="col">Themes</th>
              <th scope="col">Notice version</th>
            </tr>
          </thead>
          <tbody>
            {records.map((r) => (
              <tr key={r.purposeKey}>
                <td>
                  <strong>{r.purpose}</strong>
                  <div className="muted">{r.description}</div>
                </td>
                <td>{r.legalBasis}</td>
                <td>{r.journeys || 'none'}</td>
                <td>{r.dataCategories || '—'}</td>
                <td>{r.recipients}</td>
                <td>
                  {r.retention}
                  {r.retentionDuty ? <div className="muted">Duty: {r.retentionDuty}</div> : null}
                </td>
                <td>{r.themes || '—'}</td>
                <td>{r.noticeVersion || '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2>Technical and organisational measures (Art. 32)</h2>
      <ul>
        {measures.map((measure) => (
          <li key={measure}>{measure}</li>
        ))}
      </ul>
    </article>
  );
}
