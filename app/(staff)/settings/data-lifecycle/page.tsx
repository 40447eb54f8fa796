import { requirePermission } from '@/app/_lib/session';
import { dataLifecycleOverview } from '@/lib/lifecycle/overview';
import { LocalTime } from '@/components/LocalTime';

export const metadata = { title: 'Data lifecycle' };
export const dynamic = 'force-dynamic';

export default async function DataLifecyclePage() {
  await requirePermission('settings:manage');
  const { jobs, tables, fileAreas } = await dataLifecycleOverview();
  return (
    <>
      <h1>Data lifecycle</h1>
      <p className="muted">
        What every table and file area holds about people, how long it is kept, and what erasure does to it.
        The worker runs the prune jobs on their schedule.
      </p>
      <h2>Prune jobs</h2>
      <div className="table-wrap">
        <table data-testid="lifecycle-jobs">
          <thead>
            <tr>
              <th scope="col">Job</th>
              <th scope="col">Every</th>
              <th scope="col">Last run</th>
              <th scope="col">Pruned (last run)</th>
              <th scope="col">Pruned (total)</th>
              <th scope="col">Next run</th>
            </tr>
          </thead>
          <tbody>
            {jobs.map((job) => (
              <tr key={job.key} data-job={job.key}>
                <th scope="row">
                  {job.title}
                  <div className="muted">
                    <code>{job.key}</code>
                  </div>
                  {job.lastError && <div className="error">Last run failed: {job.lastError}</div>}
                </th>
                <td>{job.everyMinutes} min</td>
                <td>{job.lastRunAt ? <LocalTime iso={job.lastRunAt} /> : 'not yet'}</td>
                <td>{job.lastPruned}</td>
                <td>{job.totalPruned}</td>
                <td>{job.nextRunAt ? <LocalTime iso={job.nextRunAt} /> : 'at the worker’s next check'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2>Tables</h2>
      <div className="table-wrap">
        <table data-testid="lifecycle-tables">
          <thead>
            <tr>
              <th scope="col">Table</th>
              <th scope="col">Personal data</th>
              <th scope="col">Retention</th>
              <th scope="col">On erasure</th>
            </tr>
          </thead>
          <tbody>
            {tables.map((table) => (
              <tr key={table.name}>
                <th scope="row">
                  <code>{table.name}</code>
                </th>
                <td>{table.personalData}</td>
                <td>
                  {table.retention}
                  {table.jobs?.length ? (
                    <div className="muted">enforced by {table.jobs.join(', ')}</div>
                  ) : null}
                </td>
                <td>{table.erasure}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2>Files</h2>
      <div className="table-wrap">
        <table data-testid="lifecycle-files">
          <thead>
            <tr>
              <th scope="col">Area</th>
              <th scope="col">Personal data</th>
              <th scope="col">Retention</th>
              <th scope="col">On erasure</th>
            </tr>
          </thead>
          <tbody>
            {fileAreas.map((area) => (
              <tr key={area.name}>
                <th scope="row">
                  {area.name}
                  <div className="muted">{area.where}</div>
                </th>
                <td>{area.personalData}</td>
                <td>
                  {area.retention}
                  {area.jobs?.length ? <div className="muted">enforced by {area.jobs.join(', ')}</div> : null}
                </td>
                <td>{area.erasure}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
